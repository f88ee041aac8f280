/** Questions about the cluster answered from the shared state (no DOM, no requests). */
import { naturalCompare } from './format.js';

const PALETTE = ['#4c78c9', '#e08a3c', '#3fa37a', '#c95c8f', '#8a6bd1', '#2fa3b8',
  '#c7a83a', '#d1605a', '#6f8f3a', '#7a7f8f', '#b36bb8', '#3f8ec9'];
const UNKNOWN_COLOR = '#b8c0cc';

/** Every node id known from membership, the ring summary or the ring, in natural order. */
export function allNodeIds(state) {
  const ids = new Set();
  const c = state.cluster;
  if (c && Array.isArray(c.nodes)) c.nodes.forEach(n => n && n.id != null && ids.add(String(n.id)));
  if (c && c.ring && c.ring.owners && typeof c.ring.owners === 'object') {
    Object.keys(c.ring.owners).forEach(id => ids.add(id));
  }
  if (state.ringOwners) state.ringOwners.forEach(id => id != null && ids.add(String(id)));
  return Array.from(ids).sort(naturalCompare);
}

/** Gives every node a colour by its rank; true when some colour changed. */
export function recomputeColors(state) {
  let changed = false;
  allNodeIds(state).forEach((id, i) => {
    const c = i < PALETTE.length ? PALETTE[i] : 'hsl(' + ((i * 137) % 360) + ' 45% 52%)';
    if (state.colors.get(id) !== c) { state.colors.set(id, c); changed = true; }
  });
  return changed;
}

export function colorOf(state, id) { return state.colors.get(String(id)) || UNKNOWN_COLOR; }

function nodeById(state, id) {
  const c = state.cluster;
  if (!c || !Array.isArray(c.nodes)) return null;
  return c.nodes.find(n => n && String(n.id) === String(id)) || null;
}

/** 'up', 'suspect', 'down' or 'unknown'. */
export function statusOf(state, id) {
  const n = nodeById(state, id);
  const st = n && typeof n.status === 'string' ? n.status.toLowerCase() : 'unknown';
  return ['up', 'suspect', 'down'].includes(st) ? st : 'unknown';
}

/** Number of partitions, from the loaded ring or else the /cluster summary; 0 when unknown. */
export function partitionsCount(state) {
  if (state.ringOwners) return state.ringOwners.length;
  const c = state.cluster;
  return c && c.ring && typeof c.ring.partitions === 'number' ? c.ring.partitions : 0;
}

/** Partitions a node owns, or null when unknown. */
export function ownedCount(state, id) {
  const c = state.cluster;
  if (c && c.ring && c.ring.owners && typeof c.ring.owners === 'object' && !Array.isArray(c.ring.owners)
    && typeof c.ring.owners[id] === 'number') return c.ring.owners[id];
  if (state.ringOwners) return state.ringOwners.filter(o => o === id).length;
  return null;
}

const MEMBERSHIPS = ['waiting', 'joining', 'member', 'leaving', 'left'];

/** The node's membership state ('waiting', 'joining', 'member', 'leaving', 'left') or 'unknown'. */
export function membershipOf(state, id) {
  const n = nodeById(state, id);
  const m = n && typeof n.membership === 'string' ? n.membership.toLowerCase() : 'unknown';
  return MEMBERSHIPS.includes(m) ? m : 'unknown';
}

/** The copies of the running change by partition: partition -> [{from, to, keysSent, bytesSent, done}]. */
export function movesByPartition(state) {
  const out = new Map();
  (state.ringMoving || []).forEach(m => {
    if (typeof m.partition !== 'number') return;
    if (!out.has(m.partition)) out.set(m.partition, []);
    out.get(m.partition).push(m);
  });
  return out;
}
