/**
 * The live feed: update and conflict events of writes coordinated by any node, newest first,
 * filtered by a key prefix (the subscription follows the filter). Each event is also announced
 * as 'feed-event'; a click on an event's key puts it into the request form ('use-key').
 */
import { $, h, clear, debounce } from './dom.js';
import { clockTime, truncate } from './format.js';
import { clockEl, decodeSibling } from './siblings.js';
import { connectFeed } from './feed-connection.js';

const FEED_CAP = 200;
const FILTER_DEBOUNCE_MS = 400;

export function mount(root, { api, store }) {
  const state = store.state;
  const feed = $('#feed', root);
  const meta = $('#feed-meta', root);
  const filter = $('#feed-filter', root);
  let events = [];  // newest first, at most FEED_CAP

  function showEntry(el) {
    feed.insertBefore(el, feed.firstChild);
    while (feed.children.length > FEED_CAP) feed.removeChild(feed.lastChild);
    $('#feed-empty', root).hidden = true;
  }

  const showError = message => showEntry(errorEntry(message));

  function renderAll() {
    clear(feed);
    const prefix = conn.prefix();
    events.filter(ev => ev.key.startsWith(prefix)).forEach(ev => feed.appendChild(entryEl(ev, false)));
    $('#feed-empty', root).hidden = feed.children.length > 0;
  }

  function entryEl(ev, fresh) {
    return feedEntry(ev, fresh, () => store.emit('use-key', ev.key));
  }

  function onMessage(msg) {
    if (msg.type === 'error') {
      showError(msg.message || 'error from the feed');
      return;
    }
    if ((msg.type !== 'update' && msg.type !== 'conflict') || msg.key == null) return;
    const ev = {
      type: msg.type, key: String(msg.key), context: msg.context || '',
      siblings: Array.isArray(msg.siblings) ? msg.siblings : [], coordinator: msg.coordinator, at: new Date()
    };
    events.unshift(ev);
    if (events.length > FEED_CAP) events.length = FEED_CAP;
    if (ev.key.startsWith(conn.prefix())) showEntry(entryEl(ev, true));
    store.emit('feed-event', ev);
  }

  function applyFilter() {
    const next = filter.value;
    if (next === conn.prefix()) return;
    if (conn.setPrefix(next)) meta.textContent = 'resubscribing to ' + (next ? 'prefix "' + next + '"' : 'all keys') + '…';
    renderAll();
  }

  filter.addEventListener('input', debounce(applyFilter, FILTER_DEBOUNCE_MS));
  filter.addEventListener('keydown', ev => { if (ev.key === 'Enter') { ev.preventDefault(); applyFilter(); } });
  $('#feed-apply', root).addEventListener('click', applyFilter);
  $('#feed-clear', root).addEventListener('click', () => { events = []; renderAll(); });

  meta.textContent = 'not connected';
  const conn = connectFeed(api.feedUrl(), '', {
    link(open, subscribed) {
      state.feedOpen = open;
      state.feedSubscribed = subscribed;
      store.emit('feed');
    },
    note(text) { meta.textContent = text; },
    subscribed(msg) { meta.textContent = subscribedText(msg, state.cluster); },
    message: onMessage,
    error: showError
  });
}

/** "subscribed to all keys on node n1 · …" from the server's confirmation. */
function subscribedText(msg, cluster) {
  const what = [];
  if (msg.prefix != null) what.push(msg.prefix === '' ? 'all keys' : 'prefix "' + msg.prefix + '"');
  if (Array.isArray(msg.keys) && msg.keys.length) what.push('keys ' + msg.keys.join(', '));
  return 'subscribed to ' + (what.join(' + ') || 'the feed') +
    (cluster && cluster.self != null ? ' on node ' + cluster.self : '') + ' · events of writes coordinated by any node';
}

function errorEntry(message) {
  return h('div', { class: 'feed-entry feed-error', dataset: { type: 'error' } },
    h('span', { class: 'feed-time', text: clockTime(new Date()) }),
    h('span', null, h('span', { class: 'type-badge type-error', text: 'error' })),
    h('span', { class: 'feed-key muted', text: '—' }),
    h('span', { class: 'muted', text: '—' }),
    h('span', { class: 'feed-values', text: message }));
}

/** One event row: time, type badge, key (click: use it in the form), coordinator, values with clocks. */
function feedEntry(ev, fresh, onKeyClick) {
  const isDelete = ev.type === 'update' && ev.siblings.length === 1 && ev.siblings[0] && ev.siblings[0].deleted;
  const values = h('div', { class: 'feed-values' });
  ev.siblings.forEach(sib => {
    if (sib) values.appendChild(h('div', { class: 'feed-sib' }, siblingValue(sib), clockEl(sib.clock)));
  });
  if (!ev.siblings.length) values.appendChild(h('span', { class: 'muted', text: '(no siblings)' }));
  const badgeClass = ev.type === 'conflict' ? 'type-conflict' : isDelete ? 'type-delete' : 'type-update';
  return h('div', { class: 'feed-entry' + (fresh ? ' fresh' : ''), dataset: { key: ev.key, type: ev.type } },
    h('span', { class: 'feed-time', title: ev.at.toISOString(), text: clockTime(ev.at) }),
    h('span', null, h('span', {
      class: 'type-badge ' + badgeClass,
      title: isDelete ? 'update: the key was deleted (tombstone)' : null,
      text: ev.type === 'conflict' ? 'conflict (' + ev.siblings.length + ')' : 'update'
    })),
    h('span', { class: 'feed-key', title: 'Use this key in the request form', text: ev.key, onclick: onKeyClick }),
    h('span', { class: 'feed-coord', text: ev.coordinator != null ? String(ev.coordinator) : '–' }),
    values);
}

function siblingValue(sib) {
  if (sib.deleted) return h('span', { class: 'v tomb', text: '✝ tombstone' });
  const d = decodeSibling(sib);
  return h('span', {
    class: 'v',
    title: d.binary ? d.size + ' bytes (binary)' : d.text,
    text: d.binary ? '[' + d.size + ' bytes] ' + truncate(d.text, 60) : (d.text === '' ? '(empty)' : truncate(d.text.replace(/\r?\n/g, ' ⏎ '), 160))
  });
}
