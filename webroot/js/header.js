/** Top bar (this node, N/R/W, ring summary, cluster and feed pills) and the unreachable banner. */
import { $ } from './dom.js';
import { partitionsCount } from './cluster-model.js';

export function mount(root, { store }) {
  const state = store.state;
  const el = id => $('#' + id, root);

  function showBanner(msg) {
    const b = el('banner');
    if (!msg) { b.hidden = true; b.textContent = ''; return; }
    b.textContent = msg;
    b.hidden = false;
  }

  function renderCluster() {
    const c = state.cluster;
    el('self-id').textContent = c && c.self != null ? c.self : '–';
    el('meta-n').textContent = c && c.n != null ? c.n : '–';
    el('meta-r').textContent = c && c.r != null ? c.r : '–';
    el('meta-w').textContent = c && c.w != null ? c.w : '–';
    const ringVersion = c && c.ring && c.ring.version != null ? c.ring.version : state.ringVersion;
    el('meta-ring-version').textContent = ringVersion != null ? ringVersion : '–';
    el('meta-partitions').textContent = partitionsCount(state) || '–';
    const pill = el('cluster-status');
    if (state.clusterOk) {
      const nodes = (c && Array.isArray(c.nodes)) ? c.nodes : [];
      const up = nodes.filter(n => n && n.status === 'up').length;
      pill.dataset.state = up === nodes.length ? 'ok' : 'pending';
      pill.textContent = 'cluster: ' + up + '/' + nodes.length + ' up';
      showBanner(null);
      document.title = 'ringkv · ' + (c && c.self != null ? c.self : 'console');
    } else {
      pill.dataset.state = 'down';
      pill.textContent = 'cluster: unreachable';
      showBanner(state.clusterError ? 'Cluster status unavailable: ' + state.clusterError +
        (state.everClusterOk ? ' (showing the last known state)' : '') : null);
    }
  }

  function renderFeed() {
    el('feed-status').textContent = state.feedOpen ? 'connected' : 'disconnected';
    el('feed-pill').dataset.state = state.feedOpen ? 'ok' : 'down';
  }

  store.on('cluster', renderCluster);
  store.on('feed', renderFeed);
  renderFeed();
}
