/**
 * Node cards: status, membership (waiting, joining, member, leaving, left), address, datacenter,
 * heartbeat, last heard, partitions owned (and to come, while a change runs), replica tags.
 */
import { $, h, clear } from './dom.js';
import { colorOf, membershipOf, ownedCount, partitionsCount } from './cluster-model.js';
import { fmtAgo, naturalCompare } from './format.js';

export function mount(root, { store }) {
  const state = store.state;
  const container = $('#nodes', root);

  function render() {
    const c = state.cluster;
    const nodes = c && Array.isArray(c.nodes) ? c.nodes.filter(n => n && n.id != null).slice() : [];
    if (!nodes.length) {
      if (!container.querySelector('.node-card')) {
        clear(container);
        container.appendChild(h('div', { class: 'empty', text: state.clusterError ? 'No node information: ' + state.clusterError : 'Waiting for /cluster…' }));
      }
      return;
    }
    nodes.sort((a, b) => naturalCompare(a.id, b.id));
    const empty = container.querySelector('.empty');
    if (empty) empty.remove();
    const seen = new Set();
    const replicas = state.pref && Array.isArray(state.pref.replicas) ? state.pref.replicas.map(String) : [];
    nodes.forEach((n, idx) => {
      const id = String(n.id);
      seen.add(id);
      const card = Array.from(container.querySelectorAll('.node-card')).find(el => el.dataset.node === id) || buildNodeCard(id);
      // keep order stable
      if (container.children[idx] !== card) container.insertBefore(card, container.children[idx] || null);
      updateCard(card, n, replicas.indexOf(id));
    });
    container.querySelectorAll('.node-card').forEach(card => { if (!seen.has(card.dataset.node)) card.remove(); });
  }

  function updateCard(card, n, repIdx) {
    const c = state.cluster;
    const id = String(n.id);
    const isSelf = c && String(c.self) === id;
    card.style.setProperty('--node-color', colorOf(state, id));
    card.classList.toggle('stale', !state.clusterOk);
    const st = ['up', 'suspect', 'down'].includes(String(n.status).toLowerCase()) ? String(n.status).toLowerCase() : 'unknown';
    card.dataset.status = st;
    const badge = card.querySelector('.status');
    badge.textContent = st === 'unknown' ? String(n.status || 'unknown') : st;
    badge.className = 'status status-' + st;

    const membership = membershipOf(state, id);
    card.dataset.membership = membership;
    const mTag = card.querySelector('.membership');
    mTag.textContent = membership;
    mTag.className = 'membership membership-' + membership;
    mTag.title = MEMBERSHIP_HELP[membership] || '';

    card.querySelector('.tag.self').hidden = !isSelf;
    const repTag = card.querySelector('.tag.replica');
    repTag.hidden = repIdx < 0;
    repTag.textContent = repIdx >= 0 ? 'replica #' + (repIdx + 1) : '';
    card.classList.toggle('is-replica', repIdx >= 0);
    updateLink(card.querySelector('.node-link'), n);

    const q = partitionsCount(state);
    setFact(card, 'dc', n.dc != null && n.dc !== '' ? n.dc : '–');
    setFact(card, 'heartbeat', n.heartbeat != null ? n.heartbeat : '–');
    const ago = lastHeardAgo(n);
    setFact(card, 'heard', ago == null ? '–' : (isSelf && ago < 1000 ? 'self · ' : '') + fmtAgo(ago));
    const owned = ownedCount(state, id);
    const incoming = (state.ringMoving || []).filter(m => String(m.to) === id);
    const arriving = incoming.length ? ' · copying ' + incoming.filter(m => m.done).length + '/' + incoming.length : '';
    setFact(card, 'owned', (owned == null ? '–' : owned + (q ? ' (' + (100 * owned / q).toFixed(1) + '%)' : '')) + arriving);
    card.querySelector('.bar > span').style.width = owned != null && q ? (100 * owned / q).toFixed(2) + '%' : '0';
  }

  store.on('cluster', render);
  store.on('ring', render);
  store.on('pref', render);
}

const MEMBERSHIP_HELP = {
  waiting: 'gossips with the cluster but is not in the ring: POST /cluster/members/{id}/join adds it',
  joining: 'receiving copies of the partitions it will own; owns none until they are complete',
  member: 'owns partitions',
  leaving: 'handing its partitions over to their new owners',
  left: 'owns nothing any more and may be stopped'
};

/** Links to the node's own console; a wildcard bind address means "the host this page came from". */
function updateLink(link, n) {
  let host = n.host != null ? String(n.host) : '';
  if (host === '0.0.0.0' || host === '::' || host === '[::]') host = location.hostname;
  const port = n.httpPort != null ? String(n.httpPort) : '';
  if (host && port) {
    const hostPart = host.includes(':') && !host.startsWith('[') ? '[' + host + ']' : host;
    link.href = location.protocol + '//' + hostPart + ':' + port + '/';
    link.textContent = host + ':' + port;
    link.removeAttribute('aria-disabled');
  } else {
    link.removeAttribute('href');
    link.textContent = host || 'address unknown';
  }
}

/** lastHeardMs: epoch timestamp (ms) when large, else elapsed ms since last heard. */
function lastHeardAgo(node) {
  const v = node.lastHeardMs;
  if (typeof v !== 'number' || !isFinite(v)) return null;
  if (v > 1e11) return Math.max(0, Date.now() - v);
  return Math.max(0, v);
}

function buildNodeCard(id) {
  const fact = (name, label) => [h('dt', { text: label }), h('dd', { dataset: { fact: name }, text: '–' })];
  return h('div', { class: 'node-card', dataset: { node: id } },
    h('div', { class: 'node-top' },
      h('div', { class: 'node-id' },
        h('span', { class: 'node-name', text: id }),
        h('span', { class: 'tag self', text: 'this node', hidden: true }),
        h('span', { class: 'tag replica', hidden: true })),
      h('span', { class: 'node-badges' },
        h('span', { class: 'membership membership-unknown', text: 'unknown' }),
        h('span', { class: 'status status-unknown', text: 'unknown' }))),
    h('a', { class: 'node-link', target: '_blank', rel: 'noopener', title: "Open this node's own console" }),
    h('dl', { class: 'node-facts' },
      fact('dc', 'datacenter'),
      fact('heartbeat', 'heartbeat'),
      fact('heard', 'last heard'),
      fact('owned', 'partitions')),
    h('div', { class: 'bar' }, h('span')));
}

function setFact(card, name, value) {
  const dd = card.querySelector('dd[data-fact="' + name + '"]');
  if (dd && dd.textContent !== String(value)) dd.textContent = String(value);
}
