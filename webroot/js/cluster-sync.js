/**
 * Keeps the shared cluster state current: polls /cluster every second, reloads /cluster/ring when
 * the ring version changes (and every second while a membership change moves partitions), and
 * follows the preference list of the key in focus.
 * Announces 'cluster', 'ring' and 'pref'; listens to 'focus-key'.
 */
import { describeHttpFailure } from './api.js';
import { recomputeColors } from './cluster-model.js';
import { errMessage } from './format.js';

const POLL_INTERVAL_MS = 1000;

export function startClusterSync({ api, store }) {
  const state = store.state;
  let pollInFlight = false;
  let ringFetching = false;
  let prefSeq = 0;

  async function pollCluster() {
    if (pollInFlight) return;
    pollInFlight = true;
    try {
      applyCluster(state, await api.cluster());
      const ring = state.clusterOk ? state.cluster.ring || {} : null;
      const stale = ring && ring.version !== undefined && ring.version !== state.ringVersion;
      // While a membership change runs, the copies' progress changes every second.
      const moving = ring && (ring.pending > 0 || state.ringMoving.length > 0);
      if (ring && (stale || moving || state.ringOwners === null) && !ringFetching) fetchRing();
    } catch (e) {
      state.clusterOk = false;
      state.clusterError = 'GET /cluster failed: ' + errMessage(e);
    } finally {
      pollInFlight = false;
    }
    store.emit('cluster', { colorsChanged: recomputeColors(state) });
  }

  function schedulePoll() {
    setTimeout(async () => {
      await pollCluster();
      schedulePoll();
    }, POLL_INTERVAL_MS);
  }

  async function fetchRing() {
    ringFetching = true;
    try {
      applyRing(state, await api.ring());
    } catch (e) {
      state.ringError = 'Could not load the ring: ' + errMessage(e);
    } finally {
      ringFetching = false;
    }
    recomputeColors(state);
    store.emit('ring');
  }

  async function loadPreference(key) {
    const seq = ++prefSeq;
    const res = key ? await api.preference(key) : null;
    if (seq !== prefSeq) return; // a newer key was typed meanwhile
    applyPreference(state, key, res);
    store.emit('pref');
  }

  store.on('focus-key', loadPreference);
  pollCluster().then(schedulePoll, schedulePoll);
}

function applyCluster(state, res) {
  if (res.ok && res.status === 200 && res.json && typeof res.json === 'object') {
    state.cluster = res.json;
    state.clusterOk = true;
    state.clusterError = null;
    state.everClusterOk = true;
  } else {
    state.clusterOk = false;
    state.clusterError = res.ok ? 'GET /cluster answered ' + describeHttpFailure(res) : 'cannot reach this node (' + res.error + ')';
  }
}

function applyRing(state, res) {
  if (res.ok && res.status === 200 && res.json && Array.isArray(res.json.owners)) {
    state.ringOwners = res.json.owners.map(o => (o == null ? null : String(o)));
    state.ringMoving = Array.isArray(res.json.moving) ? res.json.moving.filter(m => m && typeof m === 'object') : [];
    state.ringVersion = res.json.version !== undefined ? res.json.version
      : (state.cluster && state.cluster.ring ? state.cluster.ring.version : null);
    state.ringError = null;
  } else {
    state.ringError = 'Could not load the ring: ' + describeHttpFailure(res);
  }
}

/** res is null when no key is in focus. */
function applyPreference(state, key, res) {
  if (!res) {
    state.pref = null;
    state.prefError = null;
  } else if (res.ok && res.status === 200 && res.json && typeof res.json === 'object') {
    state.pref = { key: res.json.key != null ? res.json.key : key, partition: res.json.partition, replicas: res.json.replicas || [] };
    state.prefError = null;
  } else {
    state.pref = null;
    state.prefError = 'preference list for this key unavailable: ' + describeHttpFailure(res);
  }
}
