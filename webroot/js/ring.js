/**
 * The ring: one arc per partition coloured by its owner, the key in focus with its preference walk
 * and numbered replica badges, and the legend of owners. While a membership change runs, each
 * moving partition is outlined and an inner arc in its new home's colour shows where it goes
 * (faint while its copy runs, solid once complete).
 */
import { $, h, s, clear } from './dom.js';
import { allNodeIds, colorOf, membershipOf, movesByPartition, ownedCount, partitionsCount, statusOf } from './cluster-model.js';
import { fmtBytes, truncate } from './format.js';

const RING = { cx: 270, cy: 270, rOuter: 196, rInner: 136, badgeBase: 214, badgeStep: 19 };

export function mount(root, { store }) {
  const state = store.state;
  const svg = $('#ring', root);
  let segments = [];    // index -> path element
  let overlay = null;   // <g> for highlight marks
  let center = null;    // <g> for centre text

  function render() {
    clear(svg);
    const errBox = $('#ring-error', root);
    errBox.hidden = !state.ringError;
    errBox.textContent = state.ringError || '';
    const q = state.ringOwners ? state.ringOwners.length : partitionsCount(state);
    segments = drawSegments(svg, state, q);
    const moving = drawMoves(svg, state, segments, q);
    overlay = s('g', { class: 'overlay' });
    center = s('g', { class: 'center' });
    svg.appendChild(overlay);
    svg.appendChild(center);
    $('#ring-sub', root).textContent = q ? q + ' partitions coloured by owner' + (state.ringVersion != null ? ' · version ' + state.ringVersion : '')
      + (moving ? ' · ' + moving + ' moving' : '') : 'ring not loaded';
    highlight();
  }

  function refreshStatus() {
    segments.forEach(el => {
      const owner = el.dataset.owner;
      el.classList.toggle('owner-down', !!owner && statusOf(state, owner) === 'down');
    });
  }

  /** Marks the key's partition and, for each replica in order, its first partition clockwise. */
  function highlight() {
    if (!overlay || !center) return;
    clear(overlay);
    clear(center);
    segments.forEach(el => el.classList.remove('key', 'replica', 'walk'));
    const pref = state.pref;
    const q = segments.length;
    if (!pref || typeof pref.partition !== 'number' || !q || pref.partition < 0 || pref.partition >= q) {
      svg.classList.remove('highlighting');
      drawSummary(center, state);
      return;
    }
    svg.classList.add('highlighting');
    const p = pref.partition;
    const positions = preferenceWalk(p, pref.replicas, state.ringOwners, q);
    const maxOffset = positions.reduce((m, pos) => Math.max(m, (pos.part - p + q) % q), 0);
    for (let off = 0; off <= maxOffset && off < q; off++) segments[(p + off) % q].classList.add('walk');
    positions.forEach(pos => segments[pos.part].classList.add('replica'));
    segments[p].classList.add('key');
    drawPointer(overlay, p, q);
    drawBadges(overlay, state, positions, q);
    drawKeyCenter(center, pref);
  }

  const legend = $('#legend', root);
  store.on('cluster', ({ colorsChanged }) => {
    if (colorsChanged) render();
    else refreshStatus();
    renderLegend(legend, state);
  });
  store.on('ring', () => { render(); renderLegend(legend, state); });
  store.on('pref', highlight);
  render();
}

/** The owners' key: colour, partitions owned and status of every node. */
function renderLegend(legend, state) {
  clear(legend);
  allNodeIds(state).forEach(id => {
    const owned = ownedCount(state, id);
    const st = statusOf(state, id);
    const m = membershipOf(state, id);
    const details = [owned != null ? owned + ' partitions' : '', st !== 'unknown' ? st : '',
      m !== 'unknown' && m !== 'member' ? m : ''].filter(Boolean).join(' · ');
    legend.appendChild(h('li', { dataset: { node: id, membership: m } },
      h('span', { class: 'swatch', style: { background: colorOf(state, id) } }),
      h('strong', { text: id }),
      h('span', { class: 'muted', text: details })));
  });
}

/**
 * Dynamo's preference walk: clockwise from partition p, the first partition owned by each replica.
 * Returns [{rep, order, part}]; the first replica is placed on p even when the ring is not loaded.
 */
function preferenceWalk(p, replicas, owners, q) {
  const positions = [];
  (Array.isArray(replicas) ? replicas.map(String) : []).forEach((rep, i) => {
    let found = -1;
    if (owners) {
      for (let off = 0; off < q; off++) {
        if (owners[(p + off) % q] === rep) { found = off; break; }
      }
    }
    if (i === 0 && found < 0) found = 0;
    if (found >= 0) positions.push({ rep, order: i, part: (p + found) % q });
  });
  return positions;
}

function polar(r, angleDeg) {
  const a = (angleDeg - 90) * Math.PI / 180;
  return [RING.cx + r * Math.cos(a), RING.cy + r * Math.sin(a)];
}

function arcPath(a0, a1, r0, r1) {
  const large = a1 - a0 > 180 ? 1 : 0;
  const [x0, y0] = polar(r1, a0);
  const [x1, y1] = polar(r1, a1);
  const [x2, y2] = polar(r0, a1);
  const [x3, y3] = polar(r0, a0);
  const f = v => v.toFixed(2);
  return 'M' + f(x0) + ' ' + f(y0) + ' A' + r1 + ' ' + r1 + ' 0 ' + large + ' 1 ' + f(x1) + ' ' + f(y1) +
    ' L' + f(x2) + ' ' + f(y2) + ' A' + r0 + ' ' + r0 + ' 0 ' + large + ' 0 ' + f(x3) + ' ' + f(y3) + ' Z';
}

/** Draws q partition arcs (or an empty ring when q is 0) and returns them by partition. */
function drawSegments(svg, state, q) {
  const owners = state.ringOwners;
  const paths = [];
  const segs = s('g', { class: 'segments' });
  svg.appendChild(segs);
  if (q <= 0) {
    svg.appendChild(s('circle', { cx: RING.cx, cy: RING.cy, r: (RING.rOuter + RING.rInner) / 2, fill: 'none', stroke: '#dfe4ea', 'stroke-width': RING.rOuter - RING.rInner }));
    return paths;
  }
  const step = 360 / q;
  for (let p = 0; p < q; p++) {
    const owner = owners ? owners[p] : null;
    const down = owner != null && statusOf(state, owner) === 'down';
    const path = s('path', {
      class: 'seg' + (down ? ' owner-down' : ''),
      d: arcPath(p * step, (p + 1) * step, RING.rInner, RING.rOuter),
      fill: owner != null ? colorOf(state, owner) : '#d5dbe3',
      dataset: { partition: String(p), owner: owner != null ? owner : '' }
    }, s('title', { text: 'partition ' + p + (owner != null ? ' → ' + owner : ' (owner unknown)') }));
    segs.appendChild(path);
    paths.push(path);
  }
  // ticks every quarter
  const ticks = s('g', { class: 'ticks' });
  [0, 0.25, 0.5, 0.75].forEach(frac => {
    const ang = frac * 360;
    const [x0, y0] = polar(RING.rInner - 4, ang);
    const [x1, y1] = polar(RING.rInner - 10, ang);
    ticks.appendChild(s('line', { class: 'tick', x1: x0, y1: y0, x2: x1, y2: y1 }));
    const [tx, ty] = polar(RING.rInner - 20, ang);
    ticks.appendChild(s('text', { class: 'tick-label', x: tx, y: ty, text: String(Math.round(frac * q)) }));
  });
  svg.appendChild(ticks);
  return paths;
}

/**
 * Outlines every partition with a copy of the running change and draws, inside it, an arc in the
 * colour of its (first) new home; returns how many partitions move.
 */
function drawMoves(svg, state, segments, q) {
  const moves = movesByPartition(state);
  if (!moves.size || !q) return 0;
  const step = 360 / q;
  const g = s('g', { class: 'moves' });
  moves.forEach((copies, p) => {
    if (p < 0 || p >= q) return;
    const done = copies.every(c => c.done);
    const seg = segments[p];
    seg.classList.add('moving');
    seg.dataset.moving = done ? 'done' : 'copying';
    const describe = copies.map(c => c.from + ' → ' + c.to + ': ' + (c.keysSent || 0) + ' keys, '
      + fmtBytes(c.bytesSent || 0) + (c.done ? ' (complete)' : ' (copying)')).join('; ');
    seg.querySelector('title').textContent += ' · moving ' + describe;
    g.appendChild(s('path', {
      class: 'move' + (done ? ' done' : ''),
      d: arcPath(p * step, (p + 1) * step, RING.rInner - 9, RING.rInner - 3),
      fill: colorOf(state, copies[0].to),
      dataset: { partition: String(p), to: String(copies[0].to), from: String(copies[0].from), done: String(done) }
    }, s('title', { text: 'partition ' + p + ' moving: ' + describe })));
  });
  svg.appendChild(g);
  return moves.size;
}

/** Centre text without a key: the number of partitions and the ring version. */
function drawSummary(center, state) {
  const q = partitionsCount(state);
  center.appendChild(s('text', { class: 'center-big', x: RING.cx, y: RING.cy - 2, text: q ? String(q) : '–' }));
  center.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy + 20, text: 'partitions' }));
  const ver = state.ringVersion != null ? 'ring v' + state.ringVersion : '';
  if (ver) center.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy + 38, text: ver }));
}

/** A pointer from the centre area to the key's partition. */
function drawPointer(overlay, p, q) {
  const mid = (p + 0.5) * 360 / q;
  const [x0, y0] = polar(RING.rInner - 30, mid);
  const [x1, y1] = polar(RING.rInner - 2, mid);
  overlay.appendChild(s('line', { class: 'pointer', x1: x0, y1: y0, x2: x1, y2: y1 }));
  overlay.appendChild(s('circle', { class: 'pointer-dot', cx: x0, cy: y0, r: 3.5 }));
}

/** Numbered replica badges, stacked outward so neighbouring partitions stay readable. */
function drawBadges(overlay, state, positions, q) {
  const step = 360 / q;
  const stepR = positions.length > 1 ? Math.min(RING.badgeStep, (RING.cx - 12 - RING.badgeBase) / (positions.length - 1)) : 0;
  positions.forEach((pos, i) => {
    const ang = (pos.part + 0.5) * step;
    const r = RING.badgeBase + i * stepR;
    const [bx, by] = polar(r, ang);
    const [lx, ly] = polar(RING.rOuter + 1, ang);
    const [lx2, ly2] = polar(r - 10, ang);
    overlay.appendChild(s('line', { x1: lx, y1: ly, x2: lx2, y2: ly2, stroke: '#9aa5b5', 'stroke-width': 1 }));
    overlay.appendChild(s('g', { class: 'badge', dataset: { node: pos.rep, order: String(pos.order + 1) } },
      s('title', { text: 'replica ' + (pos.order + 1) + ': ' + pos.rep + ' (partition ' + pos.part + ')' }),
      s('circle', { class: 'badge-circle', cx: bx, cy: by, r: 10, fill: colorOf(state, pos.rep) }),
      s('text', { class: 'badge-text', x: bx, y: by, text: String(pos.order + 1) })));
  });
}

/** Centre text with a key: its partition, the key and its replicas in order. */
function drawKeyCenter(center, pref) {
  const replicas = Array.isArray(pref.replicas) ? pref.replicas.map(String) : [];
  center.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy - 30, text: 'partition' }));
  center.appendChild(s('text', { class: 'center-big', x: RING.cx, y: RING.cy + 2, text: String(pref.partition) }));
  center.appendChild(s('text', { class: 'center-key', x: RING.cx, y: RING.cy + 28, text: truncate(pref.key != null ? pref.key : '', 22) }));
  center.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy + 48, text: replicas.join(' → ') }));
}
