/**
 * Datacenters (clusters started with --replication): the nodes grouped by DC with their status,
 * each DC's replicas per key and how many of its nodes are up, and the replication lag from the
 * node that served this page to every other DC (GET /cluster: dcs, replicationLagMs). Hidden for a
 * one-DC cluster.
 */
import { $, h, clear } from './dom.js';
import { naturalCompare } from './format.js';

export function mount(root, { store }) {
  const state = store.state;
  const groups = $('#dc-groups', root);

  function render() {
    const c = state.cluster;
    const dcs = c && c.dcs && typeof c.dcs === 'object' ? c.dcs : null;
    root.hidden = !dcs;
    if (!dcs) return;
    const nodes = Array.isArray(c.nodes) ? c.nodes.filter(n => n && n.id != null) : [];
    const lag = c.replicationLagMs && typeof c.replicationLagMs === 'object' ? c.replicationLagMs : {};
    clear(groups);
    Object.keys(dcs).sort(naturalCompare).forEach(dc => {
      const info = dcs[dc] || {};
      const members = nodes.filter(n => n.dc === dc).sort((a, b) => naturalCompare(String(a.id), String(b.id)));
      const isLocal = String(c.dc) === dc;
      const l = lag[dc];
      const lagText = isLocal ? 'this node\'s DC'
        : l ? 'lag p50 ' + l.p50 + ' ms · p99 ' + l.p99 + ' ms · pending ' + l.pending
          + (l.hinted ? ' · hinted ' + l.hinted : '') : 'no writes shipped yet';
      groups.appendChild(h('div', { class: 'dc-group', dataset: { dc } },
        h('div', { class: 'dc-head' },
          h('strong', { text: dc }),
          h('span', { class: 'tag', text: 'n=' + info.n }),
          h('span', { class: 'tag', text: (info.up != null ? info.up : '?') + '/' + (info.nodes != null ? info.nodes : '?') + ' up' }),
          h('span', { class: 'dc-lag', dataset: { lag: isLocal ? 'local' : 'remote' }, text: lagText })),
        h('div', { class: 'dc-nodes' }, ...members.map(n => {
          const st = ['up', 'suspect', 'down'].includes(String(n.status)) ? String(n.status) : 'unknown';
          return h('span', { class: 'dc-node status status-' + st, dataset: { node: String(n.id) },
            text: n.id + ' · ' + st });
        }))));
    });
  }

  store.on('cluster', render);
}
