/**
 * The conflicts panel: siblings from the feed's conflict events and from 300 reads. The user picks
 * a sibling or edits a merged value, then writes it back with the conflict's context (a PUT, or a
 * DELETE when a tombstone is picked). A later single-version update of the key clears its panel.
 */
import { $, h } from './dom.js';
import { describeHttpFailure, kvPath, statusLine } from './api.js';
import { clockTime, errMessage, truncate } from './format.js';
import { decodeSibling, siblingCard } from './siblings.js';

const DEFAULT_PLACEHOLDER = 'Pick a sibling or type the merged value';
// Leaves the "Merged" note readable for a moment before the panel goes.
const RESOLVED_LINGER_MS = 600;

export function mount(root, { api, store }) {
  const state = store.state;
  const container = $('#conflicts', root);
  const conflicts = new Map();  // key -> conflict record

  function upsert(c) {
    if (!c || c.key == null || !Array.isArray(c.siblings)) return;
    const key = String(c.key);
    const prev = conflicts.get(key);
    const rec = {
      key, context: c.context || '', siblings: c.siblings, coordinator: c.coordinator || null,
      source: c.source || 'feed', at: new Date(),
      mergedText: prev ? prev.mergedText : '', pickedBytes: prev ? prev.pickedBytes : null,
      contentType: prev ? prev.contentType : null, deleteMode: prev ? prev.deleteMode : false,
      picked: null
    };
    if (!rec.contentType) {
      const live = c.siblings.find(sb => sb && !sb.deleted && sb.contentType);
      rec.contentType = live ? live.contentType : (state.form.contentType || 'text/plain');
    }
    conflicts.set(key, rec);
    const el = conflictEl(rec);
    const old = findPanel(key);
    if (old) container.replaceChild(el, old);
    else container.insertBefore(el, container.firstChild);
    updateCount();
  }

  function remove(key) {
    conflicts.delete(key);
    const el = findPanel(key);
    if (el) el.remove();
    updateCount();
  }

  function findPanel(key) {
    return Array.from(container.querySelectorAll('.conflict')).find(el => el.dataset.key === key) || null;
  }

  function updateCount() {
    const n = conflicts.size;
    const cnt = $('#conflicts-count', root);
    cnt.textContent = String(n);
    cnt.classList.toggle('has', n > 0);
    $('#conflicts-empty', root).hidden = n > 0;
  }

  function conflictEl(rec) {
    const ui = mergeControls(rec);
    ui.mergeBtn.addEventListener('click', async () => {
      if (!await writeMerge(api, rec, kvPath(rec.key, 'w', state.form.w), ui)) return;
      // The conflict is resolved by this write: clear it (a later conflict event re-adds it).
      if (conflicts.get(rec.key) === rec) {
        setTimeout(() => { if (conflicts.get(rec.key) === rec) remove(rec.key); }, RESOLVED_LINGER_MS);
      }
    });
    return h('div', { class: 'conflict', dataset: { key: rec.key } },
      conflictHead(rec, () => remove(rec.key)), siblingGrid(rec, ui), ui.row);
  }

  function onFeedEvent(ev) {
    if (ev.type === 'conflict' || ev.siblings.length > 1) {
      upsert({ key: ev.key, context: ev.context, siblings: ev.siblings, coordinator: ev.coordinator, source: 'feed' });
    } else if (conflicts.has(ev.key)) {
      remove(ev.key);
    }
  }

  store.on('conflict', upsert);
  store.on('feed-event', onFeedEvent);
  updateCount();
}

/** Writes the merged value (or the delete) with the conflict's context; true when it succeeded. */
async function writeMerge(api, rec, path, ui) {
  ui.mergeBtn.disabled = true;
  setStatus(ui, '', 'writing…');
  try {
    const headers = {};
    if (rec.context) headers['X-Context'] = rec.context;
    let res;
    if (rec.deleteMode) {
      res = await api.kv('DELETE', path, headers);
    } else {
      headers['Content-Type'] = (ui.ctInput.value || '').trim() || 'application/octet-stream';
      const body = rec.pickedBytes && ui.textarea.value === '' ? rec.pickedBytes : ui.textarea.value;
      res = await api.kv('PUT', path, headers, body);
    }
    if (res.ok && res.status >= 200 && res.status < 300) {
      setStatus(ui, 'ok', 'Merged (' + statusLine(res).trim() + ').');
      return true;
    }
    setStatus(ui, 'err', 'Merge failed: ' + describeHttpFailure(res));
  } catch (e) {
    setStatus(ui, 'err', 'Merge failed: ' + errMessage(e));
  } finally {
    ui.mergeBtn.disabled = false;
  }
  return false;
}

function conflictHead(rec, onDismiss) {
  return h('div', { class: 'conflict-head' },
    h('div', null,
      h('div', { class: 'conflict-key', text: rec.key }),
      h('div', { class: 'conflict-meta' },
        rec.siblings.length + ' siblings · from ' + rec.source + (rec.coordinator ? ' via ' + rec.coordinator : '') +
        ' · ' + clockTime(rec.at))),
    h('div', { class: 'conflict-meta', title: rec.context },
      'context ', h('code', { text: truncate(rec.context || '(none)', 28) }),
      ' ',
      h('button', { type: 'button', class: 'btn btn-ghost btn-small dismiss', text: 'Dismiss', onclick: onDismiss })));
}

/** The siblings side by side, each with a Pick button that copies it into the editor. */
function siblingGrid(rec, ui) {
  const grid = h('div', { class: 'siblings' });
  const sibEls = [];
  rec.siblings.forEach((sib, i) => {
    const sibEl = siblingCard(sib, i, () => {
      sibEls.forEach(x => x.classList.remove('picked'));
      sibEl.classList.add('picked');
      pickSibling(rec, sib, i, ui);
    });
    if (rec.picked === i) sibEl.classList.add('picked');
    sibEls.push(sibEl);
    grid.appendChild(sibEl);
  });
  return grid;
}

/** The merged-value editor; edits are kept on the record so a re-rendered panel keeps them. */
function mergeControls(rec) {
  const textarea = h('textarea', { class: 'merged-value', rows: '3', placeholder: DEFAULT_PLACEHOLDER, spellcheck: 'false' });
  textarea.value = rec.mergedText || '';
  const ctInput = h('input', { type: 'text', class: 'merged-content-type', value: rec.contentType || '', 'aria-label': 'content type of the merged value', spellcheck: 'false' });
  const status = h('div', { class: 'merge-status' });
  const mergeBtn = h('button', { type: 'button', class: 'btn btn-accent merge', text: 'Write merged value' });
  textarea.addEventListener('input', () => {
    rec.mergedText = textarea.value;
    rec.pickedBytes = null;
    if (rec.deleteMode) { rec.deleteMode = false; status.textContent = ''; }
  });
  ctInput.addEventListener('input', () => { rec.contentType = ctInput.value; });
  const row = h('div', { class: 'conflict-merge' },
    textarea,
    h('div', { class: 'merge-side' }, h('label', null, 'content type', ctInput), mergeBtn),
    status);
  return { textarea, ctInput, status, mergeBtn, row };
}

/** Copies sibling i into the editor: its text, its bytes when binary, or delete mode for a tombstone. */
function pickSibling(rec, sib, i, ui) {
  const { textarea, ctInput } = ui;
  rec.picked = i;
  if (sib.deleted) {
    rec.deleteMode = true;
    rec.pickedBytes = null;
    textarea.value = '';
    textarea.placeholder = 'Tombstone picked: "Write merged value" deletes the key with this context. Type to write a value instead.';
    setStatus(ui, '', 'Merge will DELETE the key (tombstone picked).');
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
      textarea.placeholder = DEFAULT_PLACEHOLDER;
    }
    if (sib.contentType) ctInput.value = sib.contentType;
    rec.contentType = ctInput.value;
    setStatus(ui, '', '');
  }
  rec.mergedText = textarea.value;
}

function setStatus(ui, kind, text) {
  ui.status.className = 'merge-status' + (kind ? ' ' + kind : '');
  ui.status.textContent = text;
}
