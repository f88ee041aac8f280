/**
 * Membership change in progress: which node joins or leaves, and the progress of every partition
 * copy (GET /cluster/ring "moving"): per receiving node, copies complete out of all with keys and
 * bytes so far, then each partition's copy. Empty when no change runs.
 */
import { $, h, clear } from './dom.js';
import { colorOf, membershipOf, allNodeIds } from './cluster-model.js';
import { fmtBytes, naturalCompare } from './format.js';

const MAX_ROWS = 400;

export function mount(root, { store }) {
  const state = store.state;
  const summary = $('#transfers-summary', root);
  const targets = $('#transfer-targets', root);
  const list = $('#transfers', root);
  const empty = $('#transfers-empty', root);

  function render() {
    const moving = (state.ringMoving || []).slice();
    const changing = allNodeIds(state).filter(id => ['joining', 'leaving', 'waiting'].includes(membershipOf(state, id)));
    empty.hidden = moving.length > 0;
    root.dataset.moving = String(moving.length);
    summary.textContent = changing.length
      ? changing.map(id => id + ' ' + membershipOf(state, id)).join(' · ')
      : (moving.length ? 'membership change running' : '');
    clear(targets);
    clear(list);
    if (!moving.length) return;
    byTarget(moving).forEach(([to, copies]) => targets.appendChild(targetRow(state, to, copies)));
    moving.sort((a, b) => a.partition - b.partition || naturalCompare(a.to, b.to));
    moving.slice(0, MAX_ROWS).forEach(m => list.appendChild(copyRow(state, m)));
    if (moving.length > MAX_ROWS) {
      list.appendChild(h('div', { class: 'muted', text: (moving.length - MAX_ROWS) + ' more copies not listed' }));
    }
  }

  store.on('ring', render);
  store.on('cluster', render);
  render();
}

function byTarget(moving) {
  const out = new Map();
  moving.forEach(m => {
    const to = String(m.to);
    if (!out.has(to)) out.set(to, []);
    out.get(to).push(m);
  });
  return Array.from(out.entries()).sort((a, b) => naturalCompare(a[0], b[0]));
}

/** One receiving node: copies complete out of all, keys and bytes received so far. */
function targetRow(state, to, copies) {
  const done = copies.filter(c => c.done).length;
  const keys = copies.reduce((sum, c) => sum + (c.keysSent || 0), 0);
  const bytes = copies.reduce((sum, c) => sum + (c.bytesSent || 0), 0);
  const pct = copies.length ? 100 * done / copies.length : 0;
  return h('div', { class: 'transfer-target', dataset: { node: to, done: String(done), total: String(copies.length) } },
    h('span', { class: 'swatch', style: { background: colorOf(state, to) } }),
    h('strong', { text: to }),
    h('span', { class: 'transfer-count', text: done + ' / ' + copies.length + ' partitions copied' }),
    h('span', { class: 'bar' }, h('span', { style: { width: pct.toFixed(1) + '%' } })),
    h('span', { class: 'muted', text: keys.toLocaleString() + ' keys · ' + fmtBytes(bytes) }));
}

/** One partition copy: partition, from → to, keys and bytes so far, copying or complete. */
function copyRow(state, m) {
  return h('div', { class: 'transfer' + (m.done ? ' done' : ''),
    dataset: { partition: String(m.partition), from: String(m.from), to: String(m.to), done: String(!!m.done) } },
    h('span', { class: 'transfer-partition', text: '#' + m.partition }),
    h('span', {},
      h('span', { class: 'dot', style: { background: colorOf(state, m.from) } }), String(m.from), ' → ',
      h('span', { class: 'dot', style: { background: colorOf(state, m.to) } }), String(m.to)),
    h('span', { text: (m.keysSent || 0).toLocaleString() + ' keys' }),
    h('span', { text: fmtBytes(m.bytesSent || 0) }),
    h('span', { class: 'transfer-state', text: m.done ? 'complete' : 'copying' }));
}
