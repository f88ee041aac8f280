/**
 * Anti-entropy per node: when each node's last pass finished, how long it took, the keys it
 * repaired (in that pass and since the node started), and a button that starts a pass on the node
 * that served this page. Polls GET /cluster/antientropy/nodes (this node asks the others).
 */
import { $, h, clear } from './dom.js';
import { describeHttpFailure } from './api.js';
import { fmtAgo, naturalCompare } from './format.js';

const POLL_MS = 2000;

export function mount(root, { api }) {
  const table = $('#ae-nodes', root);
  const note = $('#ae-note', root);
  const button = $('#ae-run', root);
  let inFlight = false;

  async function poll() {
    if (inFlight) return;
    inFlight = true;
    try {
      const res = await api.antiEntropyNodes();
      if (res.ok && res.status === 200 && res.json && Array.isArray(res.json.nodes)) {
        render(res.json.nodes);
        note.textContent = '';
      } else {
        note.textContent = 'anti-entropy status unavailable: ' + describeHttpFailure(res);
      }
    } finally {
      inFlight = false;
    }
  }

  function render(nodes) {
    clear(table);
    table.appendChild(h('div', { class: 'ae-row ae-head' },
      h('span', { text: 'node' }), h('span', { text: 'last pass' }), h('span', { text: 'took' }),
      h('span', { text: 'keys repaired (last pass)' }), h('span', { text: 'keys repaired (total)' }),
      h('span', { text: 'passes' })));
    nodes.slice().sort((a, b) => naturalCompare(a.id, b.id)).forEach(n => {
      const finished = typeof n.lastPassFinishedMs === 'number' ? fmtAgo(Date.now() - n.lastPassFinishedMs) : 'never';
      table.appendChild(h('div', { class: 'ae-row', dataset: { node: String(n.id), passes: String(n.passes ?? '') } },
        h('span', { class: 'ae-id', text: String(n.id) }),
        h('span', { class: 'ae-last', text: n.error ? n.error : (n.running ? 'running… (' + finished + ')' : finished) }),
        h('span', { text: typeof n.lastPassDurationMs === 'number' ? n.lastPassDurationMs + ' ms' : '–' }),
        h('span', { class: 'ae-repaired', text: n.lastPassKeysRepaired ?? '–' }),
        h('span', { text: n.keysRepaired ?? '–' }),
        h('span', { class: 'ae-passes', text: n.passes ?? '–' })));
    });
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const res = await api.runAntiEntropy();
      note.textContent = res.ok && res.status === 202 ? 'pass started on this node'
        : res.ok && res.status === 409 ? 'a pass is already running on this node'
        : 'could not start a pass: ' + describeHttpFailure(res);
      await poll();
    } finally {
      button.disabled = false;
    }
  });

  poll();
  setInterval(poll, POLL_MS);
}
