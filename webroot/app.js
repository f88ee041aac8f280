/*
 * ringkv demo console. Plain browser JavaScript, no build step, no external resources.
 * Talks only to the node that served the page (same origin, path-absolute URLs):
 *   GET  /cluster                  every second (node health, N/R/W, ring summary)
 *   GET  /cluster/ring             when the ring version changes (owner of every partition)
 *   GET  /cluster/preference/{k}   when a key is typed or used
 *   GET|PUT|DELETE /kv/{k}         from the request form and the conflict panel
 *   WS   /feed                     live update/conflict events (reconnects with backoff)
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- helpers

  const $ = (sel, root) => (root || document).querySelector(sel);

  /** Creates an element. attrs: class, dataset (object), text, on* handlers, other attributes. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    applyAttrs(el, attrs);
    appendChildren(el, children);
    return el;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    applyAttrs(el, attrs);
    appendChildren(el, children);
    return el;
  }

  function applyAttrs(el, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.setAttribute('class', v);
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value' && 'value' in el) el.value = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }

  function appendChildren(el, children) {
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  function debounce(fn, ms) {
    let t = null;
    return function (...args) {
      clearTimeout(t);
      t = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function pad(n, w) { return String(n).padStart(w || 2, '0'); }
  function clockTime(d) {
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }
  function fmtTimestamp(ms) {
    if (typeof ms !== 'number' || !isFinite(ms) || ms <= 0) return '';
    const d = new Date(ms);
    const today = new Date();
    const sameDay = d.toDateString() === today.toDateString();
    return (sameDay ? '' : d.toISOString().slice(0, 10) + ' ') + clockTime(d);
  }
  function fmtAgo(ms) {
    if (typeof ms !== 'number' || !isFinite(ms)) return '–';
    const sec = Math.max(0, ms) / 1000;
    if (sec < 10) return sec.toFixed(1) + ' s ago';
    if (sec < 120) return Math.round(sec) + ' s ago';
    if (sec < 7200) return Math.round(sec / 60) + ' min ago';
    return Math.round(sec / 3600) + ' h ago';
  }
  function truncate(str, n) {
    str = String(str);
    return str.length > n ? str.slice(0, n - 1) + '…' : str;
  }
  function errMessage(e) {
    if (!e) return 'unknown error';
    if (typeof e === 'string') return e;
    return e.message || String(e);
  }

  /** Renders a vector clock object as "n1:2 n3:1" (sorted by node id). */
  function clockText(clock) {
    if (!clock || typeof clock !== 'object') return '';
    return Object.keys(clock).sort(naturalCompare).map(k => k + ':' + clock[k]).join(' ');
  }
  function clockEl(clock) {
    const keys = clock && typeof clock === 'object' ? Object.keys(clock).sort(naturalCompare) : [];
    const el = h('span', { class: 'clock', title: 'vector clock' });
    if (!keys.length) { el.textContent = '{}'; return el; }
    keys.forEach((k, i) => {
      el.appendChild(h('span', { class: 'c', text: k + ':' + clock[k] }));
      if (i < keys.length - 1) el.appendChild(document.createTextNode(' '));
    });
    return el;
  }

  function naturalCompare(a, b) {
    return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  }

  /** Decodes a sibling's value. Returns {text, bytes (Uint8Array|null), binary, size}. */
  function decodeSibling(sib) {
    const raw = sib && sib.value != null ? String(sib.value) : '';
    if (sib && sib.encoding === 'base64') {
      let bytes;
      try {
        const bin = atob(raw);
        bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      } catch (e) {
        return { text: raw, bytes: null, binary: false, size: raw.length, invalid: true };
      }
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return { text, bytes, binary: false, size: bytes.length };
      } catch (e) {
        return { text: hexPreview(bytes), bytes, binary: true, size: bytes.length };
      }
    }
    return { text: raw, bytes: null, binary: false, size: new TextEncoder().encode(raw).length };
  }
  function hexPreview(bytes) {
    const max = 48;
    const parts = [];
    for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
    return parts.join(' ') + (bytes.length > max ? ' …' : '');
  }

  function encKey(key) { return encodeURIComponent(key); }

  // ---------------------------------------------------------------- HTTP

  /**
   * fetch wrapper that never throws. Resolves to
   * {ok: true, status, statusText, headers, text, json, ms} or {ok: false, error, ms}.
   */
  async function request(method, url, opts) {
    opts = opts || {};
    const ctrl = new AbortController();
    const timeoutMs = opts.timeoutMs || 10000;
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    const t0 = performance.now();
    try {
      const res = await fetch(url, {
        method,
        headers: opts.headers || {},
        body: opts.body,
        signal: ctrl.signal,
        cache: 'no-store',
        credentials: 'same-origin',
        redirect: 'follow'
      });
      const buf = await res.arrayBuffer();
      const bytes = new Uint8Array(buf);
      let text = '';
      let utf8 = true;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch (e) {
        utf8 = false; text = new TextDecoder('utf-8').decode(bytes);
      }
      let json;
      const ct = res.headers.get('Content-Type') || '';
      if (/json/i.test(ct) && text.length) {
        try { json = JSON.parse(text); } catch (e) { json = undefined; }
      }
      return {
        ok: true, status: res.status, statusText: res.statusText, headers: res.headers,
        text, bytes, utf8, json, ms: performance.now() - t0
      };
    } catch (e) {
      const aborted = e && e.name === 'AbortError';
      return { ok: false, error: aborted ? 'timed out after ' + timeoutMs + ' ms' : errMessage(e), ms: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
    }
  }

  const STATUS_TEXT = {
    200: 'OK', 202: 'Accepted', 204: 'No Content', 300: 'Multiple Choices', 400: 'Bad Request',
    404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large',
    500: 'Internal Server Error', 503: 'Service Unavailable'
  };
  function statusLine(res) {
    return res.status + ' ' + (res.statusText || STATUS_TEXT[res.status] || '');
  }
  function describeHttpFailure(res) {
    if (!res.ok) return res.error;
    if (res.json && (res.json.message || res.json.error)) {
      return statusLine(res).trim() + ': ' + (res.json.message || res.json.error);
    }
    return statusLine(res).trim();
  }

  // ---------------------------------------------------------------- state

  const PALETTE = ['#4c78c9', '#e08a3c', '#3fa37a', '#c95c8f', '#8a6bd1', '#2fa3b8',
    '#c7a83a', '#d1605a', '#6f8f3a', '#7a7f8f', '#b36bb8', '#3f8ec9'];

  const state = {
    cluster: null,          // last good /cluster answer
    clusterOk: false,       // last poll succeeded
    clusterError: null,
    everClusterOk: false,
    ringVersion: null,      // version of state.ringOwners
    ringOwners: null,       // array partition -> node id
    ringFetching: false,
    ringError: null,
    colors: new Map(),      // node id -> colour
    pref: null,             // {key, partition, replicas}
    prefError: null,
    contexts: new Map(),    // key -> X-Context of the last read
    contextKey: null,       // key whose stored context is shown in #context
    feedEvents: [],         // newest first, capped
    feedPrefix: '',
    ws: null,
    wsOpen: false,
    wsSubscribed: false,
    backoffMs: 500,
    reconnectTimer: null,
    reconnectAt: 0,
    conflicts: new Map(),   // key -> conflict record
    requestSeq: 0
  };
  const FEED_CAP = 200;

  // ---------------------------------------------------------------- UI: banner / toast

  function showBanner(msg) {
    const b = $('#banner');
    if (!msg) { b.hidden = true; b.textContent = ''; return; }
    b.textContent = msg;
    b.hidden = false;
  }

  let toastTimer = null;
  function toast(msg) {
    let t = $('#toast');
    if (!t) { t = h('div', { id: 'toast', class: 'toast', role: 'status' }); document.body.appendChild(t); }
    t.textContent = msg;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
  }

  window.addEventListener('error', ev => {
    toast('Page error: ' + errMessage(ev.error || ev.message));
  });
  window.addEventListener('unhandledrejection', ev => {
    ev.preventDefault();
    toast('Page error: ' + errMessage(ev.reason));
  });

  // ---------------------------------------------------------------- ready flag

  let readyFallbackTimer = null;
  function updateReady() {
    if (document.body.dataset.ready === 'true') return;
    if (state.everClusterOk && state.wsOpen && state.wsSubscribed) {
      document.body.dataset.ready = 'true';
    }
  }

  // ---------------------------------------------------------------- colours

  function allNodeIds() {
    const ids = new Set();
    if (state.cluster && Array.isArray(state.cluster.nodes)) state.cluster.nodes.forEach(n => n && n.id != null && ids.add(String(n.id)));
    if (state.cluster && state.cluster.ring && state.cluster.ring.owners && typeof state.cluster.ring.owners === 'object') {
      Object.keys(state.cluster.ring.owners).forEach(id => ids.add(id));
    }
    if (state.ringOwners) state.ringOwners.forEach(id => id != null && ids.add(String(id)));
    return Array.from(ids).sort(naturalCompare);
  }

  function recomputeColors() {
    const ids = allNodeIds();
    let changed = false;
    ids.forEach((id, i) => {
      const c = i < PALETTE.length ? PALETTE[i] : 'hsl(' + ((i * 137) % 360) + ' 45% 52%)';
      if (state.colors.get(id) !== c) { state.colors.set(id, c); changed = true; }
    });
    return changed;
  }
  function colorOf(id) { return state.colors.get(String(id)) || '#b8c0cc'; }

  function nodeById(id) {
    if (!state.cluster || !Array.isArray(state.cluster.nodes)) return null;
    return state.cluster.nodes.find(n => n && String(n.id) === String(id)) || null;
  }
  function statusOf(id) {
    const n = nodeById(id);
    const st = n && typeof n.status === 'string' ? n.status.toLowerCase() : 'unknown';
    return ['up', 'suspect', 'down'].includes(st) ? st : 'unknown';
  }

  // ---------------------------------------------------------------- cluster polling

  let clusterInFlight = false;
  async function pollCluster() {
    if (clusterInFlight) return;
    clusterInFlight = true;
    try {
      const res = await request('GET', '/cluster', { timeoutMs: 3000, headers: { Accept: 'application/json' } });
      if (res.ok && res.status === 200 && res.json && typeof res.json === 'object') {
        state.cluster = res.json;
        state.clusterOk = true;
        state.clusterError = null;
        state.everClusterOk = true;
        const ring = res.json.ring || {};
        if (ring.version !== undefined && ring.version !== state.ringVersion && !state.ringFetching) fetchRing();
        else if (state.ringOwners === null && !state.ringFetching) fetchRing();
      } else {
        state.clusterOk = false;
        state.clusterError = res.ok ? 'GET /cluster answered ' + describeHttpFailure(res) : 'cannot reach this node (' + res.error + ')';
      }
    } catch (e) {
      state.clusterOk = false;
      state.clusterError = 'GET /cluster failed: ' + errMessage(e);
    } finally {
      clusterInFlight = false;
    }
    try {
      if (recomputeColors()) renderRing();
      else refreshRingStatus();
      renderHeader();
      renderNodes();
      renderLegend();
      renderPreference();
      updateQuorumSelects();
      updateReady();
    } catch (e) {
      toast('Render error: ' + errMessage(e));
    }
  }

  function schedulePoll() {
    setTimeout(async () => {
      await pollCluster();
      schedulePoll();
    }, 1000);
  }

  async function fetchRing() {
    state.ringFetching = true;
    try {
      const res = await request('GET', '/cluster/ring', { timeoutMs: 5000, headers: { Accept: 'application/json' } });
      if (res.ok && res.status === 200 && res.json && Array.isArray(res.json.owners)) {
        state.ringOwners = res.json.owners.map(o => (o == null ? null : String(o)));
        state.ringVersion = res.json.version !== undefined ? res.json.version
          : (state.cluster && state.cluster.ring ? state.cluster.ring.version : null);
        state.ringError = null;
      } else {
        state.ringError = 'Could not load the ring: ' + describeHttpFailure(res);
      }
    } catch (e) {
      state.ringError = 'Could not load the ring: ' + errMessage(e);
    } finally {
      state.ringFetching = false;
    }
    recomputeColors();
    renderRing();
    renderLegend();
    renderNodes();
  }

  // ---------------------------------------------------------------- header

  function renderHeader() {
    const c = state.cluster;
    $('#self-id').textContent = c && c.self != null ? c.self : '–';
    $('#meta-n').textContent = c && c.n != null ? c.n : '–';
    $('#meta-r').textContent = c && c.r != null ? c.r : '–';
    $('#meta-w').textContent = c && c.w != null ? c.w : '–';
    const ringVersion = c && c.ring && c.ring.version != null ? c.ring.version : state.ringVersion;
    $('#meta-ring-version').textContent = ringVersion != null ? ringVersion : '–';
    const q = partitionsCount();
    $('#meta-partitions').textContent = q || '–';
    const pill = $('#cluster-status');
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

  function partitionsCount() {
    if (state.ringOwners) return state.ringOwners.length;
    const c = state.cluster;
    return c && c.ring && typeof c.ring.partitions === 'number' ? c.ring.partitions : 0;
  }

  // ---------------------------------------------------------------- nodes

  function ownedCount(id) {
    const c = state.cluster;
    if (c && c.ring && c.ring.owners && typeof c.ring.owners === 'object' && !Array.isArray(c.ring.owners)
      && typeof c.ring.owners[id] === 'number') return c.ring.owners[id];
    if (state.ringOwners) return state.ringOwners.filter(o => o === id).length;
    return null;
  }

  /** lastHeardMs: epoch timestamp (ms) when large, else elapsed ms since last heard. */
  function lastHeardAgo(node) {
    const v = node.lastHeardMs;
    if (typeof v !== 'number' || !isFinite(v)) return null;
    if (v > 1e11) return Math.max(0, Date.now() - v);
    return Math.max(0, v);
  }

  function renderNodes() {
    const container = $('#nodes');
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
    const q = partitionsCount();
    const replicas = state.pref && Array.isArray(state.pref.replicas) ? state.pref.replicas.map(String) : [];

    nodes.forEach((n, idx) => {
      const id = String(n.id);
      seen.add(id);
      let card = Array.from(container.querySelectorAll('.node-card')).find(el => el.dataset.node === id);
      if (!card) {
        card = buildNodeCard(id);
      }
      // keep order stable
      if (container.children[idx] !== card) container.insertBefore(card, container.children[idx] || null);

      card.style.setProperty('--node-color', colorOf(id));
      card.classList.toggle('stale', !state.clusterOk);
      const st = ['up', 'suspect', 'down'].includes(String(n.status).toLowerCase()) ? String(n.status).toLowerCase() : 'unknown';
      card.dataset.status = st;
      const badge = card.querySelector('.status');
      badge.textContent = st === 'unknown' ? String(n.status || 'unknown') : st;
      badge.className = 'status status-' + st;

      const selfTag = card.querySelector('.tag.self');
      selfTag.hidden = !(c && String(c.self) === id);
      const repIdx = replicas.indexOf(id);
      const repTag = card.querySelector('.tag.replica');
      repTag.hidden = repIdx < 0;
      repTag.textContent = repIdx >= 0 ? 'replica #' + (repIdx + 1) : '';
      card.classList.toggle('is-replica', repIdx >= 0);

      const link = card.querySelector('.node-link');
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

      setFact(card, 'dc', n.dc != null && n.dc !== '' ? n.dc : '–');
      setFact(card, 'heartbeat', n.heartbeat != null ? n.heartbeat : '–');
      const ago = lastHeardAgo(n);
      const isSelf = c && String(c.self) === id;
      setFact(card, 'heard', ago == null ? '–' : (isSelf && ago < 1000 ? 'self · ' : '') + fmtAgo(ago));
      const owned = ownedCount(id);
      setFact(card, 'owned', owned == null ? '–' : owned + (q ? ' (' + (100 * owned / q).toFixed(1) + '%)' : ''));
      const bar = card.querySelector('.bar > span');
      bar.style.width = owned != null && q ? (100 * owned / q).toFixed(2) + '%' : '0';
    });
    container.querySelectorAll('.node-card').forEach(card => { if (!seen.has(card.dataset.node)) card.remove(); });
  }

  function buildNodeCard(id) {
    const fact = (name, label) => [h('dt', { text: label }), h('dd', { dataset: { fact: name }, text: '–' })];
    return h('div', { class: 'node-card', dataset: { node: id } },
      h('div', { class: 'node-top' },
        h('div', { class: 'node-id' },
          h('span', { class: 'node-name', text: id }),
          h('span', { class: 'tag self', text: 'this node', hidden: true }),
          h('span', { class: 'tag replica', hidden: true })),
        h('span', { class: 'status status-unknown', text: 'unknown' })),
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

  // ---------------------------------------------------------------- ring

  const RING = { cx: 270, cy: 270, rOuter: 196, rInner: 136, badgeBase: 214, badgeStep: 19 };
  let ringSegments = [];   // index -> path element
  let ringOverlay = null;  // <g> for highlight marks
  let ringCenter = null;   // <g> for centre text

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

  function renderRing() {
    const svg = $('#ring');
    clear(svg);
    ringSegments = [];
    const errBox = $('#ring-error');
    errBox.hidden = !state.ringError;
    errBox.textContent = state.ringError || '';

    const owners = state.ringOwners;
    const q = owners ? owners.length : partitionsCount();
    const segs = s('g', { class: 'segments' });
    svg.appendChild(segs);
    if (q > 0) {
      const step = 360 / q;
      for (let p = 0; p < q; p++) {
        const owner = owners ? owners[p] : null;
        const a0 = p * step, a1 = (p + 1) * step;
        const down = owner != null && statusOf(owner) === 'down';
        const path = s('path', {
          class: 'seg' + (down ? ' owner-down' : ''),
          d: arcPath(a0, a1, RING.rInner, RING.rOuter),
          fill: owner != null ? colorOf(owner) : '#d5dbe3',
          dataset: { partition: String(p), owner: owner != null ? owner : '' }
        }, s('title', { text: 'partition ' + p + (owner != null ? ' → ' + owner : ' (owner unknown)') }));
        segs.appendChild(path);
        ringSegments.push(path);
      }
      // ticks every quarter
      const ticks = s('g', { class: 'ticks' });
      [0, 0.25, 0.5, 0.75].forEach(frac => {
        const p = Math.round(frac * q);
        const ang = frac * 360;
        const [x0, y0] = polar(RING.rInner - 4, ang);
        const [x1, y1] = polar(RING.rInner - 10, ang);
        ticks.appendChild(s('line', { class: 'tick', x1: x0, y1: y0, x2: x1, y2: y1 }));
        const [tx, ty] = polar(RING.rInner - 20, ang);
        ticks.appendChild(s('text', { class: 'tick-label', x: tx, y: ty, text: String(p) }));
      });
      svg.appendChild(ticks);
    } else {
      svg.appendChild(s('circle', { cx: RING.cx, cy: RING.cy, r: (RING.rOuter + RING.rInner) / 2, fill: 'none', stroke: '#dfe4ea', 'stroke-width': RING.rOuter - RING.rInner }));
    }
    ringOverlay = s('g', { class: 'overlay' });
    ringCenter = s('g', { class: 'center' });
    svg.appendChild(ringOverlay);
    svg.appendChild(ringCenter);
    $('#ring-sub').textContent = q ? q + ' partitions coloured by owner' + (state.ringVersion != null ? ' · version ' + state.ringVersion : '') : 'ring not loaded';
    applyRingHighlight();
  }

  function refreshRingStatus() {
    ringSegments.forEach(el => {
      const owner = el.dataset.owner;
      el.classList.toggle('owner-down', !!owner && statusOf(owner) === 'down');
    });
  }

  /** Marks the key's partition and, for each replica in order, its first partition clockwise. */
  function applyRingHighlight() {
    const svg = $('#ring');
    if (!ringOverlay || !ringCenter) return;
    clear(ringOverlay);
    clear(ringCenter);
    ringSegments.forEach(el => el.classList.remove('key', 'replica', 'walk'));
    const pref = state.pref;
    const q = ringSegments.length;
    const owners = state.ringOwners;

    if (!pref || typeof pref.partition !== 'number' || !q || pref.partition < 0 || pref.partition >= q) {
      svg.classList.remove('highlighting');
      const q2 = partitionsCount();
      ringCenter.appendChild(s('text', { class: 'center-big', x: RING.cx, y: RING.cy - 2, text: q2 ? String(q2) : '–' }));
      ringCenter.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy + 20, text: 'partitions' }));
      const ver = state.ringVersion != null ? 'ring v' + state.ringVersion : '';
      if (ver) ringCenter.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy + 38, text: ver }));
      return;
    }
    svg.classList.add('highlighting');
    const p = pref.partition;
    const step = 360 / q;
    const replicas = Array.isArray(pref.replicas) ? pref.replicas.map(String) : [];

    // Walk clockwise from p: the first partition owned by each replica (Dynamo's preference walk).
    const positions = [];
    let maxOffset = 0;
    replicas.forEach((rep, i) => {
      let found = -1;
      if (owners) {
        for (let off = 0; off < q; off++) {
          if (owners[(p + off) % q] === rep) { found = off; break; }
        }
      }
      if (i === 0 && found < 0) found = 0;
      if (found >= 0) {
        positions.push({ rep, order: i, part: (p + found) % q });
        maxOffset = Math.max(maxOffset, found);
      }
    });
    for (let off = 0; off <= maxOffset && off < q; off++) ringSegments[(p + off) % q].classList.add('walk');
    positions.forEach(pos => ringSegments[pos.part].classList.add('replica'));
    ringSegments[p].classList.add('key');

    // pointer from the centre area to the key's partition
    const mid = (p + 0.5) * step;
    const [x0, y0] = polar(RING.rInner - 30, mid);
    const [x1, y1] = polar(RING.rInner - 2, mid);
    ringOverlay.appendChild(s('line', { class: 'pointer', x1: x0, y1: y0, x2: x1, y2: y1 }));
    ringOverlay.appendChild(s('circle', { class: 'pointer-dot', cx: x0, cy: y0, r: 3.5 }));

    // numbered replica badges, stacked outward so neighbouring partitions stay readable
    const stepR = positions.length > 1 ? Math.min(RING.badgeStep, (RING.cx - 12 - RING.badgeBase) / (positions.length - 1)) : 0;
    positions.forEach((pos, i) => {
      const ang = (pos.part + 0.5) * step;
      const r = RING.badgeBase + i * stepR;
      const [bx, by] = polar(r, ang);
      const [lx, ly] = polar(RING.rOuter + 1, ang);
      const [lx2, ly2] = polar(r - 10, ang);
      ringOverlay.appendChild(s('line', { x1: lx, y1: ly, x2: lx2, y2: ly2, stroke: '#9aa5b5', 'stroke-width': 1 }));
      ringOverlay.appendChild(s('g', { class: 'badge', dataset: { node: pos.rep, order: String(pos.order + 1) } },
        s('title', { text: 'replica ' + (pos.order + 1) + ': ' + pos.rep + ' (partition ' + pos.part + ')' }),
        s('circle', { class: 'badge-circle', cx: bx, cy: by, r: 10, fill: colorOf(pos.rep) }),
        s('text', { class: 'badge-text', x: bx, y: by, text: String(pos.order + 1) })));
    });

    ringCenter.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy - 30, text: 'partition' }));
    ringCenter.appendChild(s('text', { class: 'center-big', x: RING.cx, y: RING.cy + 2, text: String(p) }));
    ringCenter.appendChild(s('text', { class: 'center-key', x: RING.cx, y: RING.cy + 28, text: truncate(pref.key != null ? pref.key : '', 22) }));
    ringCenter.appendChild(s('text', { class: 'center-small', x: RING.cx, y: RING.cy + 48, text: replicas.join(' → ') }));
  }

  function renderLegend() {
    const legend = $('#legend');
    clear(legend);
    allNodeIds().forEach(id => {
      const owned = ownedCount(id);
      const st = statusOf(id);
      legend.appendChild(h('li', { dataset: { node: id } },
        h('span', { class: 'swatch', style: { background: colorOf(id) } }),
        h('strong', { text: id }),
        h('span', { class: 'muted', text: (owned != null ? owned + ' partitions' : '') + (st !== 'unknown' ? ' · ' + st : '') })));
    });
  }

  // ---------------------------------------------------------------- preference list

  let prefSeq = 0;
  async function loadPreference(key) {
    const seq = ++prefSeq;
    if (!key) {
      state.pref = null;
      state.prefError = null;
      renderPreference();
      applyRingHighlight();
      renderNodes();
      return;
    }
    const res = await request('GET', '/cluster/preference/' + encKey(key), { timeoutMs: 4000, headers: { Accept: 'application/json' } });
    if (seq !== prefSeq) return; // a newer key was typed meanwhile
    if (res.ok && res.status === 200 && res.json && typeof res.json === 'object') {
      state.pref = { key: res.json.key != null ? res.json.key : key, partition: res.json.partition, replicas: res.json.replicas || [] };
      state.prefError = null;
    } else {
      state.pref = null;
      state.prefError = 'preference list for this key unavailable: ' + describeHttpFailure(res);
    }
    renderPreference();
    applyRingHighlight();
    renderNodes();
  }

  function renderPreference() {
    const list = $('#preference');
    clear(list);
    if (state.prefError) {
      list.appendChild(h('li', { class: 'inline-error', text: state.prefError }));
      return;
    }
    const pref = state.pref;
    if (!pref) {
      list.appendChild(h('li', { class: 'muted', text: 'Type a key to see its partition and replicas.' }));
      return;
    }
    list.appendChild(h('li', { class: 'pref-key' },
      h('code', { text: pref.key }), h('span', { class: 'muted', text: ' → partition ' }), h('strong', { text: String(pref.partition) })));
    (pref.replicas || []).forEach((rep, i) => {
      if (i > 0) list.appendChild(h('li', { class: 'arrow', 'aria-hidden': 'true', text: '→' }));
      const st = statusOf(rep);
      list.appendChild(h('li', { class: 'replica', dataset: { node: String(rep), order: String(i + 1) } },
        h('span', { class: 'replica-chip' },
          h('span', { class: 'ord', style: { background: colorOf(rep) }, text: String(i + 1) }),
          String(rep),
          st !== 'unknown' ? h('span', { class: 'st status-text-' + st, style: { color: st === 'up' ? 'var(--ok)' : st === 'suspect' ? 'var(--warn)' : 'var(--err)' }, text: st }) : null)));
    });
  }

  // ---------------------------------------------------------------- quorum selects

  let quorumSig = '';
  function updateQuorumSelects() {
    const c = state.cluster;
    const n = c && Number.isInteger(c.n) && c.n > 0 ? c.n : 3;
    const sig = n + '/' + (c ? c.r : '') + '/' + (c ? c.w : '');
    if (sig === quorumSig) return;
    quorumSig = sig;
    fillQuorumSelect($('#r'), n, c ? c.r : null);
    fillQuorumSelect($('#w'), n, c ? c.w : null);
  }
  function fillQuorumSelect(sel, n, def) {
    const prev = sel.value;
    clear(sel);
    sel.appendChild(h('option', { value: '', text: 'default' + (def != null ? ' (' + def + ')' : '') }));
    for (let i = 1; i <= n; i++) sel.appendChild(h('option', { value: String(i), text: String(i) }));
    ['one', 'quorum', 'all'].forEach(w => sel.appendChild(h('option', { value: w, text: w })));
    if (Array.from(sel.options).some(o => o.value === prev)) sel.value = prev;
    else sel.value = '';
  }

  // ---------------------------------------------------------------- context field

  function setContextForKey(key) {
    const ctx = state.contexts.get(key);
    $('#context').value = ctx || '';
    state.contextKey = key;
    updateContextHint();
  }
  function updateContextHint() {
    const val = $('#context').value.trim();
    const key = $('#key').value;
    const stored = state.contexts.get(key);
    let text;
    if (!val) text = '(none: blind write)';
    else if (stored && val === stored) text = '(from the last read of this key)';
    else text = '(edited)';
    $('#context-hint').textContent = text;
  }
  function rememberContext(key, ctx) {
    if (!ctx) return;
    state.contexts.set(key, ctx);
    if ($('#key').value === key) {
      $('#context').value = ctx;
      updateContextHint();
    }
  }

  // ---------------------------------------------------------------- KV requests

  function quorumQuery(param, value) {
    return value ? '?' + param + '=' + encodeURIComponent(value) : '';
  }

  async function doKv(method) {
    const key = $('#key').value;
    if (!key) {
      renderResponseLocalError('Enter a key first.');
      $('#key').focus();
      return;
    }
    const seq = ++state.requestSeq;
    const headers = {};
    let url = '/kv/' + encKey(key);
    let body;
    const ctx = $('#context').value.trim();
    if (method === 'GET') {
      url += quorumQuery('r', $('#r').value);
      headers.Accept = 'application/json';
    } else {
      url += quorumQuery('w', $('#w').value);
      if (ctx) headers['X-Context'] = ctx;
      if (method === 'PUT') {
        headers['Content-Type'] = $('#content-type').value.trim() || 'application/octet-stream';
        body = $('#value').value;
      }
    }
    loadPreference(key);
    const btn = $('#btn-' + method.toLowerCase());
    btn.classList.add('busy');
    const statusEl = $('#response-status');
    statusEl.textContent = method + ' …';
    statusEl.className = 'status-chip pending';
    statusEl.dataset.status = 'pending';
    $('#request-line').textContent = method + ' ' + url + (headers['X-Context'] ? '  (with context)' : (method !== 'GET' ? '  (blind)' : ''));
    let res;
    try {
      res = await request(method, url, { headers, body, timeoutMs: 15000 });
    } finally {
      btn.classList.remove('busy');
    }
    if (seq !== state.requestSeq) return; // a newer request owns the panel
    try {
      renderResponse(method, key, res);
    } catch (e) {
      renderResponseLocalError('Could not render the response: ' + errMessage(e));
    }
  }

  function renderResponseLocalError(msg) {
    const statusEl = $('#response-status');
    statusEl.textContent = 'not sent';
    statusEl.className = 'status-chip err';
    statusEl.dataset.status = '';
    clear($('#response-headers'));
    const body = $('#response-body');
    clear(body);
    body.appendChild(h('div', { class: 'error-box', text: msg }));
  }

  function isSiblingDoc(j) {
    return j && typeof j === 'object' && Array.isArray(j.siblings);
  }

  function renderResponse(method, key, res) {
    const statusEl = $('#response-status');
    const headersEl = $('#response-headers');
    const body = $('#response-body');
    clear(headersEl);
    clear(body);

    if (!res.ok) {
      statusEl.textContent = 'network error';
      statusEl.className = 'status-chip err';
      statusEl.dataset.status = '0';
      body.appendChild(h('div', { class: 'error-box' },
        h('span', { class: 'code', text: 'network' }), 'The node did not answer: ' + res.error));
      return;
    }

    const st = res.status;
    statusEl.textContent = statusLine(res).trim() + ' · ' + Math.round(res.ms) + ' ms';
    statusEl.dataset.status = String(st);
    statusEl.className = 'status-chip ' + (st === 300 ? 'multi' : st >= 200 && st < 300 ? 'ok' : st === 404 ? 'warn' : 'err');

    const ctx = res.headers.get('X-Context');
    const etag = res.headers.get('ETag');
    const ctype = res.headers.get('Content-Type');
    const lastMod = res.headers.get('Last-Modified');
    const addHeader = (name, value, extra) => {
      if (!value) return;
      headersEl.appendChild(h('dt', { text: name }));
      headersEl.appendChild(h('dd', { dataset: { header: name.toLowerCase() } }, h('span', { text: value }), extra || null));
    };
    let useBtn = null;
    if (ctx && method !== 'GET') {
      useBtn = h('button', {
        type: 'button', class: 'btn btn-ghost btn-small', text: 'use',
        title: 'Use this context for the next write',
        onclick: () => { $('#context').value = ctx; state.contexts.set(key, ctx); updateContextHint(); }
      });
    }
    addHeader('X-Context', ctx, useBtn);
    addHeader('ETag', etag);
    addHeader('Content-Type', ctype);
    addHeader('Last-Modified', lastMod);

    if (method === 'GET' && ctx) rememberContext(key, ctx);

    const j = res.json;
    if (st === 204) {
      body.appendChild(h('div', { class: 'note', text: method === 'DELETE' ? 'Deleted (tombstone written).' : 'Written.' }));
      return;
    }
    if (isSiblingDoc(j) && (st === 200 || st === 300)) {
      if (method === 'GET' && j.context && !ctx) rememberContext(key, j.context);
      if (j.siblings.length === 1 && st === 200) {
        const sib = j.siblings[0];
        body.appendChild(renderValueBox(sib));
        body.appendChild(h('div', { class: 'note' },
          'content type ', h('code', { text: sib.contentType || '–' }),
          sib.timestamp ? ' · written ' + fmtTimestamp(sib.timestamp) : '',
          ' · clock ', clockEl(sib.clock)));
      } else {
        body.appendChild(h('div', { class: 'note', style: { margin: '0 0 8px' } },
          j.siblings.length + ' siblings' + (st === 300 ? ' — added to the conflicts panel below.' : '.')));
        const grid = h('div', { class: 'siblings' });
        j.siblings.forEach((sib, i) => grid.appendChild(renderSibling(sib, i, null)));
        body.appendChild(grid);
        if (st === 300) upsertConflict({ key: j.key != null ? j.key : key, context: j.context || ctx, siblings: j.siblings, source: 'GET (300)' });
      }
      return;
    }
    if (j && typeof j === 'object' && (j.error || j.message)) {
      const extras = [];
      Object.keys(j).filter(k => k !== 'error' && k !== 'message').forEach(k => extras.push(k + ': ' + JSON.stringify(j[k])));
      body.appendChild(h('div', { class: 'error-box' },
        h('span', { class: 'code', text: j.error || 'error' }), String(j.message || ''),
        extras.length ? h('div', { class: 'extra', text: extras.join(' · ') }) : null));
      if (st === 404 && ctx) body.appendChild(h('div', { class: 'note', text: 'Tombstones exist: the X-Context above covers them.' }));
      return;
    }
    // raw body (a server that ignored Accept, or non-JSON errors)
    if (res.bytes.length === 0) {
      body.appendChild(h('div', { class: 'note', text: '(empty body)' }));
    } else {
      body.appendChild(h('pre', { class: 'value-box', text: res.utf8 ? res.text : hexPreview(res.bytes) }));
    }
  }

  function renderValueBox(sib) {
    if (sib.deleted) return h('div', { class: 'value-box tomb', text: '(tombstone — deleted)' });
    const d = decodeSibling(sib);
    const box = h('pre', { class: 'value-box' });
    if (d.binary) {
      box.appendChild(h('span', { class: 'enc', text: 'base64' }));
      box.appendChild(document.createTextNode(' ' + d.size + ' bytes: ' + d.text));
    } else {
      box.textContent = d.text;
      if (d.text === '') box.appendChild(h('span', { class: 'muted', text: '(empty value)' }));
    }
    return box;
  }

  /** One sibling card; onPick given => shows a .pick button. */
  function renderSibling(sib, i, onPick) {
    const el = h('div', { class: 'sibling' + (sib.deleted ? ' tombstone' : ''), dataset: { index: String(i), deleted: sib.deleted ? 'true' : 'false' } });
    el.appendChild(h('div', { class: 'sibling-head' },
      h('span', { class: 'sibling-index', text: 'sibling ' + (i + 1) }),
      onPick ? h('button', { type: 'button', class: 'btn btn-ghost btn-small pick', text: sib.deleted ? 'Pick (delete)' : 'Pick', onclick: onPick }) : null));
    el.appendChild(clockEl(sib.clock));
    if (sib.deleted) el.appendChild(h('div', { class: 'tomb', text: '✝ tombstone (deleted)' }));
    else el.appendChild(renderValueBox(sib));
    const meta = [];
    if (sib.contentType) meta.push(sib.contentType);
    if (sib.encoding) meta.push(sib.encoding);
    if (sib.timestamp) meta.push(fmtTimestamp(sib.timestamp));
    el.appendChild(h('div', { class: 'sib-meta', text: meta.join(' · ') }));
    return el;
  }

  // ---------------------------------------------------------------- conflicts

  function upsertConflict(c) {
    if (!c || c.key == null || !Array.isArray(c.siblings)) return;
    const key = String(c.key);
    const prev = state.conflicts.get(key);
    const rec = {
      key, context: c.context || '', siblings: c.siblings, coordinator: c.coordinator || null,
      source: c.source || 'feed', at: new Date(),
      mergedText: prev ? prev.mergedText : '', pickedBytes: prev ? prev.pickedBytes : null,
      contentType: prev ? prev.contentType : null, deleteMode: prev ? prev.deleteMode : false,
      picked: null, status: null
    };
    if (!rec.contentType) {
      const live = c.siblings.find(sb => sb && !sb.deleted && sb.contentType);
      rec.contentType = live ? live.contentType : ($('#content-type').value.trim() || 'text/plain');
    }
    state.conflicts.set(key, rec);
    renderConflict(rec);
    updateConflictCount();
  }

  function removeConflict(key) {
    state.conflicts.delete(key);
    const el = findByData('#conflicts', '.conflict', 'key', key);
    if (el) el.remove();
    updateConflictCount();
  }

  function findByData(containerSel, childSel, name, value) {
    const container = $(containerSel);
    return Array.from(container.querySelectorAll(childSel)).find(el => el.dataset[name] === value) || null;
  }

  function updateConflictCount() {
    const n = state.conflicts.size;
    const cnt = $('#conflicts-count');
    cnt.textContent = String(n);
    cnt.classList.toggle('has', n > 0);
    $('#conflicts-empty').hidden = n > 0;
  }

  function renderConflict(rec) {
    const container = $('#conflicts');
    const old = findByData('#conflicts', '.conflict', 'key', rec.key);
    const el = h('div', { class: 'conflict', dataset: { key: rec.key } });

    const head = h('div', { class: 'conflict-head' },
      h('div', null,
        h('div', { class: 'conflict-key', text: rec.key }),
        h('div', { class: 'conflict-meta' },
          rec.siblings.length + ' siblings · from ' + rec.source + (rec.coordinator ? ' via ' + rec.coordinator : '') +
          ' · ' + clockTime(rec.at))),
      h('div', { class: 'conflict-meta', title: rec.context },
        'context ', h('code', { text: truncate(rec.context || '(none)', 28) }),
        ' ',
        h('button', { type: 'button', class: 'btn btn-ghost btn-small dismiss', text: 'Dismiss', onclick: () => removeConflict(rec.key) })));
    el.appendChild(head);

    const grid = h('div', { class: 'siblings' });
    const textarea = h('textarea', { class: 'merged-value', rows: '3', placeholder: 'Pick a sibling or type the merged value', spellcheck: 'false' });
    textarea.value = rec.mergedText || '';
    const ctInput = h('input', { type: 'text', class: 'merged-content-type', value: rec.contentType || '', 'aria-label': 'content type of the merged value', spellcheck: 'false' });
    const status = h('div', { class: 'merge-status' });
    const mergeBtn = h('button', { type: 'button', class: 'btn btn-accent merge', text: 'Write merged value' });

    const sibEls = [];
    rec.siblings.forEach((sib, i) => {
      const sibEl = renderSibling(sib, i, () => {
        sibEls.forEach(x => x.classList.remove('picked'));
        sibEl.classList.add('picked');
        rec.picked = i;
        if (sib.deleted) {
          rec.deleteMode = true;
          rec.pickedBytes = null;
          textarea.value = '';
          textarea.placeholder = 'Tombstone picked: "Write merged value" deletes the key with this context. Type to write a value instead.';
          status.className = 'merge-status';
          status.textContent = 'Merge will DELETE the key (tombstone picked).';
        } else {
          rec.deleteMode = false;
          const d = decodeSibling(sib);
          if (d.binary) {
            rec.pickedBytes = d.bytes;
            textarea.value = '';
            textarea.placeholder = 'Binary value of sibling ' + (i + 1) + ' (' + d.size + ' bytes) will be written unchanged. Type to replace it.';
          } else {
            rec.pickedBytes = null;
            textarea.value = d.text;
            textarea.placeholder = 'Pick a sibling or type the merged value';
          }
          if (sib.contentType) ctInput.value = sib.contentType;
          rec.contentType = ctInput.value;
          status.className = 'merge-status';
          status.textContent = '';
        }
        rec.mergedText = textarea.value;
      });
      if (rec.picked === i) sibEl.classList.add('picked');
      sibEls.push(sibEl);
      grid.appendChild(sibEl);
    });
    el.appendChild(grid);

    textarea.addEventListener('input', () => {
      rec.mergedText = textarea.value;
      rec.pickedBytes = null;
      if (rec.deleteMode) { rec.deleteMode = false; status.textContent = ''; }
    });
    ctInput.addEventListener('input', () => { rec.contentType = ctInput.value; });

    mergeBtn.addEventListener('click', async () => {
      mergeBtn.disabled = true;
      status.className = 'merge-status';
      status.textContent = 'writing…';
      try {
        const headers = {};
        if (rec.context) headers['X-Context'] = rec.context;
        let res;
        const wq = quorumQuery('w', $('#w').value);
        if (rec.deleteMode) {
          res = await request('DELETE', '/kv/' + encKey(rec.key) + wq, { headers, timeoutMs: 15000 });
        } else {
          headers['Content-Type'] = (ctInput.value || '').trim() || 'application/octet-stream';
          const bodyVal = rec.pickedBytes && textarea.value === '' ? rec.pickedBytes : textarea.value;
          res = await request('PUT', '/kv/' + encKey(rec.key) + wq, { headers, body: bodyVal, timeoutMs: 15000 });
        }
        if (res.ok && res.status >= 200 && res.status < 300) {
          status.className = 'merge-status ok';
          status.textContent = 'Merged (' + statusLine(res).trim() + ').';
          // The conflict is resolved by this write: clear it (a later conflict event re-adds it).
          if (state.conflicts.get(rec.key) === rec) setTimeout(() => { if (state.conflicts.get(rec.key) === rec) removeConflict(rec.key); }, 600);
        } else {
          status.className = 'merge-status err';
          status.textContent = 'Merge failed: ' + describeHttpFailure(res);
        }
      } catch (e) {
        status.className = 'merge-status err';
        status.textContent = 'Merge failed: ' + errMessage(e);
      } finally {
        mergeBtn.disabled = false;
      }
    });

    el.appendChild(h('div', { class: 'conflict-merge' },
      textarea,
      h('div', { class: 'merge-side' },
        h('label', null, 'content type', ctInput),
        mergeBtn),
      status));

    if (old) container.replaceChild(el, old);
    else container.insertBefore(el, container.firstChild);
  }

  // ---------------------------------------------------------------- feed (WebSocket)

  function feedUrl() {
    return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/feed';
  }

  function setFeedStatus(connected, detail) {
    $('#feed-status').textContent = connected ? 'connected' : 'disconnected';
    $('#feed-pill').dataset.state = connected ? 'ok' : 'down';
    if (detail !== undefined) $('#feed-meta').textContent = detail;
  }

  function connectFeed() {
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    let ws;
    try {
      ws = new WebSocket(feedUrl());
    } catch (e) {
      setFeedStatus(false, 'cannot open the feed: ' + errMessage(e));
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    setFeedStatus(false, 'connecting to ' + feedUrl() + ' …');
    ws.onopen = () => {
      if (state.ws !== ws) return;
      state.wsOpen = true;
      state.wsSubscribed = false;
      state.backoffMs = 500;
      setFeedStatus(true, 'connected, subscribing…');
      sendSubscribe(state.feedPrefix);
      // If the server never echoes "subscribed", still report readiness after a moment.
      clearTimeout(readyFallbackTimer);
      readyFallbackTimer = setTimeout(() => {
        if (state.ws === ws && state.wsOpen && !state.wsSubscribed) { state.wsSubscribed = true; updateReady(); }
      }, 1500);
    };
    ws.onmessage = ev => {
      if (state.ws !== ws) return;
      let msg;
      try { msg = JSON.parse(typeof ev.data === 'string' ? ev.data : ''); } catch (e) {
        addFeedError('unreadable frame from the server');
        return;
      }
      try { handleFeedMessage(msg); } catch (e) { addFeedError('could not handle a frame: ' + errMessage(e)); }
    };
    ws.onerror = () => { /* a close event follows; nothing to do here */ };
    ws.onclose = ev => {
      if (state.ws !== ws) return;
      state.wsOpen = false;
      state.wsSubscribed = false;
      state.ws = null;
      setFeedStatus(false);
      scheduleReconnect(ev && ev.code ? ' (code ' + ev.code + ')' : '');
    };
  }

  function scheduleReconnect(why) {
    if (state.reconnectTimer) return;
    const delay = Math.min(state.backoffMs, 10000) * (0.8 + Math.random() * 0.4);
    state.backoffMs = Math.min(state.backoffMs * 2, 10000);
    state.reconnectAt = Date.now() + delay;
    state.reconnectTimer = setTimeout(connectFeed, delay);
    const tick = () => {
      if (!state.reconnectTimer) return;
      const left = Math.max(0, state.reconnectAt - Date.now());
      $('#feed-meta').textContent = 'feed closed' + (why || '') + ' · reconnecting in ' + Math.ceil(left / 1000) + ' s';
      if (left > 0) setTimeout(tick, 250);
    };
    tick();
  }

  function send(obj) {
    if (!state.ws || !state.wsOpen) return false;
    try { state.ws.send(JSON.stringify(obj)); return true; } catch (e) {
      addFeedError('could not send to the feed: ' + errMessage(e));
      return false;
    }
  }
  function sendSubscribe(prefix) { return send({ type: 'subscribe', prefix: prefix }); }

  function applyFeedFilter() {
    const next = $('#feed-filter').value;
    if (next === state.feedPrefix) return;
    const prev = state.feedPrefix;
    state.feedPrefix = next;
    if (state.wsOpen) {
      send({ type: 'unsubscribe', prefix: prev });
      sendSubscribe(next);
      $('#feed-meta').textContent = 'resubscribing to ' + (next ? 'prefix "' + next + '"' : 'all keys') + '…';
    }
    renderFeed();
  }

  function handleFeedMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'subscribed': {
        state.wsSubscribed = true;
        const what = [];
        if (msg.prefix != null) what.push(msg.prefix === '' ? 'all keys' : 'prefix "' + msg.prefix + '"');
        if (Array.isArray(msg.keys) && msg.keys.length) what.push('keys ' + msg.keys.join(', '));
        $('#feed-meta').textContent = 'subscribed to ' + (what.join(' + ') || 'the feed') +
          (state.cluster && state.cluster.self != null ? ' on node ' + state.cluster.self : '') + ' · events of writes coordinated by any node';
        updateReady();
        break;
      }
      case 'update':
      case 'conflict': {
        if (msg.key == null) return;
        const key = String(msg.key);
        const siblings = Array.isArray(msg.siblings) ? msg.siblings : [];
        const ev = { type: msg.type, key, context: msg.context || '', siblings, coordinator: msg.coordinator, at: new Date() };
        state.feedEvents.unshift(ev);
        if (state.feedEvents.length > FEED_CAP) state.feedEvents.length = FEED_CAP;
        if (key.startsWith(state.feedPrefix)) prependFeedEntry(ev);
        if (msg.type === 'conflict' || siblings.length > 1) {
          upsertConflict({ key, context: msg.context, siblings, coordinator: msg.coordinator, source: 'feed' });
        } else if (state.conflicts.has(key)) {
          removeConflict(key);
        }
        break;
      }
      case 'error':
        addFeedError(msg.message || 'error from the feed');
        break;
      default:
        break;
    }
  }

  function addFeedError(message) {
    const feed = $('#feed');
    const el = h('div', { class: 'feed-entry feed-error', dataset: { type: 'error' } },
      h('span', { class: 'feed-time', text: clockTime(new Date()) }),
      h('span', null, h('span', { class: 'type-badge type-error', text: 'error' })),
      h('span', { class: 'feed-key muted', text: '—' }),
      h('span', { class: 'muted', text: '—' }),
      h('span', { class: 'feed-values', text: message }));
    feed.insertBefore(el, feed.firstChild);
    trimFeedDom();
    $('#feed-empty').hidden = true;
  }

  function feedEntryEl(ev, fresh) {
    const isDelete = ev.type === 'update' && ev.siblings.length === 1 && ev.siblings[0] && ev.siblings[0].deleted;
    const values = h('div', { class: 'feed-values' });
    ev.siblings.forEach(sib => {
      if (!sib) return;
      let vEl;
      if (sib.deleted) vEl = h('span', { class: 'v tomb', text: '✝ tombstone' });
      else {
        const d = decodeSibling(sib);
        vEl = h('span', { class: 'v', title: d.binary ? d.size + ' bytes (binary)' : d.text, text: d.binary ? '[' + d.size + ' bytes] ' + truncate(d.text, 60) : (d.text === '' ? '(empty)' : truncate(d.text.replace(/\r?\n/g, ' ⏎ '), 160)) });
      }
      values.appendChild(h('div', { class: 'feed-sib' }, vEl, clockEl(sib.clock)));
    });
    if (!ev.siblings.length) values.appendChild(h('span', { class: 'muted', text: '(no siblings)' }));
    return h('div', { class: 'feed-entry' + (fresh ? ' fresh' : ''), dataset: { key: ev.key, type: ev.type } },
      h('span', { class: 'feed-time', title: ev.at.toISOString(), text: clockTime(ev.at) }),
      h('span', null, h('span', { class: 'type-badge ' + (ev.type === 'conflict' ? 'type-conflict' : isDelete ? 'type-delete' : 'type-update'), title: isDelete ? 'update: the key was deleted (tombstone)' : null, text: ev.type === 'conflict' ? 'conflict (' + ev.siblings.length + ')' : 'update' })),
      h('span', { class: 'feed-key', title: 'Use this key in the request form', text: ev.key, onclick: () => useKeyInForm(ev.key) }),
      h('span', { class: 'feed-coord', text: ev.coordinator != null ? String(ev.coordinator) : '–' }),
      values);
  }

  function useKeyInForm(key) {
    const input = $('#key');
    input.value = key;
    setContextForKey(key);
    loadPreference(key);
  }

  function prependFeedEntry(ev) {
    const feed = $('#feed');
    feed.insertBefore(feedEntryEl(ev, true), feed.firstChild);
    trimFeedDom();
    $('#feed-empty').hidden = true;
  }

  function trimFeedDom() {
    const feed = $('#feed');
    while (feed.children.length > FEED_CAP) feed.removeChild(feed.lastChild);
  }

  function renderFeed() {
    const feed = $('#feed');
    clear(feed);
    state.feedEvents.filter(ev => ev.key.startsWith(state.feedPrefix)).forEach(ev => feed.appendChild(feedEntryEl(ev, false)));
    $('#feed-empty').hidden = feed.children.length > 0;
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    updateQuorumSelects();
    renderRing();
    updateConflictCount();
    setFeedStatus(false, 'not connected');

    const keyInput = $('#key');
    const debouncedPref = debounce(() => loadPreference(keyInput.value), 250);
    keyInput.addEventListener('input', () => {
      setContextForKey(keyInput.value);
      debouncedPref();
    });
    keyInput.addEventListener('keydown', ev => { if (ev.key === 'Enter') { ev.preventDefault(); doKv('GET'); } });
    $('#context').addEventListener('input', updateContextHint);
    $('#context-clear').addEventListener('click', () => { $('#context').value = ''; updateContextHint(); });
    $('#btn-get').addEventListener('click', () => { doKv('GET'); });
    $('#btn-put').addEventListener('click', () => { doKv('PUT'); });
    $('#btn-delete').addEventListener('click', () => { doKv('DELETE'); });

    const filter = $('#feed-filter');
    filter.addEventListener('input', debounce(applyFeedFilter, 400));
    filter.addEventListener('keydown', ev => { if (ev.key === 'Enter') { ev.preventDefault(); applyFeedFilter(); } });
    $('#feed-apply').addEventListener('click', applyFeedFilter);
    $('#feed-clear').addEventListener('click', () => { state.feedEvents = []; renderFeed(); });

    pollCluster().then(schedulePoll, schedulePoll);
    connectFeed();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
