/**
 * The response panel: status, the headers that matter (X-Context, ETag, Content-Type,
 * Last-Modified) and the body of the request form's last request. A read's context is handed back
 * to the form ('context:read'); siblings of a 300 go to the conflicts panel ('conflict').
 */
import { $, h, clear } from './dom.js';
import { statusLine } from './api.js';
import { errMessage, fmtTimestamp } from './format.js';
import { clockEl, hexPreview, siblingCard, valueBox } from './siblings.js';

export function mount(root, { store }) {
  const ui = {
    status: $('#response-status', root),
    headers: $('#response-headers', root),
    body: $('#response-body', root),
    emit: store.emit
  };
  store.on('request:sent', ({ method }) => setStatus(ui, method + ' …', 'pending', 'pending'));
  store.on('request:rejected', msg => showLocalError(ui, msg));
  store.on('request:answered', ({ method, key, res }) => {
    try {
      showAnswer(ui, method, key, res);
    } catch (e) {
      showLocalError(ui, 'Could not render the response: ' + errMessage(e));
    }
  });
}

function setStatus(ui, text, kind, status) {
  ui.status.textContent = text;
  ui.status.className = 'status-chip ' + kind;
  ui.status.dataset.status = status;
}

function showLocalError(ui, msg) {
  setStatus(ui, 'not sent', 'err', '');
  clear(ui.headers);
  clear(ui.body);
  ui.body.appendChild(h('div', { class: 'error-box', text: msg }));
}

function showAnswer(ui, method, key, res) {
  clear(ui.headers);
  clear(ui.body);
  if (!res.ok) {
    setStatus(ui, 'network error', 'err', '0');
    ui.body.appendChild(h('div', { class: 'error-box' },
      h('span', { class: 'code', text: 'network' }), 'The node did not answer: ' + res.error));
    return;
  }
  const st = res.status;
  const kind = st === 300 ? 'multi' : st >= 200 && st < 300 ? 'ok' : st === 404 ? 'warn' : 'err';
  setStatus(ui, statusLine(res).trim() + ' · ' + Math.round(res.ms) + ' ms', kind, String(st));
  const ctx = res.headers.get('X-Context');
  renderHeaders(ui, method, key, res.headers);
  if (method === 'GET' && ctx) ui.emit('context:read', { key, context: ctx });
  renderBody(ui, method, key, res, ctx);
}

function renderHeaders(ui, method, key, headers) {
  const ctx = headers.get('X-Context');
  const addHeader = (name, value, extra) => {
    if (!value) return;
    ui.headers.appendChild(h('dt', { text: name }));
    ui.headers.appendChild(h('dd', { dataset: { header: name.toLowerCase() } }, h('span', { text: value }), extra || null));
  };
  let useBtn = null;
  if (ctx && method !== 'GET') {
    useBtn = h('button', {
      type: 'button', class: 'btn btn-ghost btn-small', text: 'use',
      title: 'Use this context for the next write',
      onclick: () => ui.emit('context:use', { key, context: ctx })
    });
  }
  addHeader('X-Context', ctx, useBtn);
  addHeader('ETag', headers.get('ETag'));
  addHeader('Content-Type', headers.get('Content-Type'));
  addHeader('Last-Modified', headers.get('Last-Modified'));
}

function renderBody(ui, method, key, res, ctx) {
  const st = res.status;
  const j = res.json;
  if (st === 204) {
    ui.body.appendChild(h('div', { class: 'note', text: method === 'DELETE' ? 'Deleted (tombstone written).' : 'Written.' }));
  } else if (isSiblingDoc(j) && (st === 200 || st === 300)) {
    if (method === 'GET' && j.context && !ctx) ui.emit('context:read', { key, context: j.context });
    renderSiblings(ui, key, j, st, ctx);
  } else if (j && typeof j === 'object' && (j.error || j.message)) {
    renderError(ui, j, st, ctx);
  } else if (res.bytes.length === 0) {
    // raw body from here on: a server that ignored Accept, or non-JSON errors
    ui.body.appendChild(h('div', { class: 'note', text: '(empty body)' }));
  } else {
    ui.body.appendChild(h('pre', { class: 'value-box', text: res.utf8 ? res.text : hexPreview(res.bytes) }));
  }
}

function renderSiblings(ui, key, j, st, ctx) {
  if (j.siblings.length === 1 && st === 200) {
    const sib = j.siblings[0];
    ui.body.appendChild(valueBox(sib));
    ui.body.appendChild(h('div', { class: 'note' },
      'content type ', h('code', { text: sib.contentType || '–' }),
      sib.timestamp ? ' · written ' + fmtTimestamp(sib.timestamp) : '',
      ' · clock ', clockEl(sib.clock)));
    return;
  }
  ui.body.appendChild(h('div', { class: 'note', style: { margin: '0 0 8px' } },
    j.siblings.length + ' siblings' + (st === 300 ? ' — added to the conflicts panel below.' : '.')));
  const grid = h('div', { class: 'siblings' });
  j.siblings.forEach((sib, i) => grid.appendChild(siblingCard(sib, i, null)));
  ui.body.appendChild(grid);
  if (st === 300) {
    ui.emit('conflict', { key: j.key != null ? j.key : key, context: j.context || ctx, siblings: j.siblings, source: 'GET (300)' });
  }
}

function renderError(ui, j, st, ctx) {
  const extras = Object.keys(j).filter(k => k !== 'error' && k !== 'message').map(k => k + ': ' + JSON.stringify(j[k]));
  ui.body.appendChild(h('div', { class: 'error-box' },
    h('span', { class: 'code', text: j.error || 'error' }), String(j.message || ''),
    extras.length ? h('div', { class: 'extra', text: extras.join(' · ') }) : null));
  if (st === 404 && ctx) ui.body.appendChild(h('div', { class: 'note', text: 'Tombstones exist: the X-Context above covers them.' }));
}

function isSiblingDoc(j) {
  return j && typeof j === 'object' && Array.isArray(j.siblings);
}
