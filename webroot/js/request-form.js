/**
 * The request form: GET / PUT / DELETE of /kv/{key} with r/w quorums, content type and the
 * X-Context to write with (remembered per key from the last read). Answers go to the response
 * panel through 'request:*' topics; the key in focus is announced as 'focus-key'.
 */
import { $, h, clear, debounce } from './dom.js';
import { kvPath } from './api.js';

const PREFERENCE_DEBOUNCE_MS = 250;

export function mount(root, { api, store }) {
  const state = store.state;
  const el = id => $('#' + id, root);
  const context = contextField(el('key'), el('context'), el('context-hint'));
  const quorums = quorumSelects(el('r'), el('w'));
  let requestSeq = 0;

  /** The merge flow of the conflicts panel writes with the form's w and content type. */
  function publishWriteSettings() {
    state.form.w = el('w').value;
    state.form.contentType = el('content-type').value.trim();
  }

  async function send(method) {
    const key = el('key').value;
    if (!key) {
      store.emit('request:rejected', 'Enter a key first.');
      el('key').focus();
      return;
    }
    const seq = ++requestSeq;
    const { path, headers, body } = buildRequest(el, method, key);
    store.emit('focus-key', key);
    const btn = el('btn-' + method.toLowerCase());
    btn.classList.add('busy');
    store.emit('request:sent', { method });
    el('request-line').textContent = method + ' ' + path + (headers['X-Context'] ? '  (with context)' : (method !== 'GET' ? '  (blind)' : ''));
    let res;
    try {
      res = await api.kv(method, path, headers, body);
    } finally {
      btn.classList.remove('busy');
    }
    if (seq !== requestSeq) return; // a newer request owns the response panel
    store.emit('request:answered', { method, key, res });
  }

  const keyInput = el('key');
  const focusKeySoon = debounce(() => store.emit('focus-key', keyInput.value), PREFERENCE_DEBOUNCE_MS);
  keyInput.addEventListener('input', () => {
    context.showForKey(keyInput.value);
    focusKeySoon();
  });
  keyInput.addEventListener('keydown', ev => { if (ev.key === 'Enter') { ev.preventDefault(); send('GET'); } });
  el('context-clear').addEventListener('click', () => context.use(null, ''));
  ['GET', 'PUT', 'DELETE'].forEach(m => el('btn-' + m.toLowerCase()).addEventListener('click', () => { send(m); }));
  el('w').addEventListener('change', publishWriteSettings);
  el('content-type').addEventListener('input', publishWriteSettings);

  store.on('cluster', () => { if (quorums.update(state.cluster)) publishWriteSettings(); });
  store.on('use-key', key => {
    keyInput.value = key;
    context.showForKey(key);
    store.emit('focus-key', key);
  });
  store.on('context:read', ({ key, context: ctx }) => context.remember(key, ctx));
  store.on('context:use', ({ key, context: ctx }) => context.use(key, ctx));
  quorums.update(state.cluster);
  publishWriteSettings();
}

function buildRequest(el, method, key) {
  const headers = {};
  if (method === 'GET') {
    headers.Accept = 'application/json';
    return { path: kvPath(key, 'r', el('r').value), headers };
  }
  const ctx = el('context').value.trim();
  if (ctx) headers['X-Context'] = ctx;
  if (method !== 'PUT') return { path: kvPath(key, 'w', el('w').value), headers };
  headers['Content-Type'] = el('content-type').value.trim() || 'application/octet-stream';
  return { path: kvPath(key, 'w', el('w').value), headers, body: el('value').value };
}

/** The X-Context input: remembers each key's context from its last read, and says where it came from. */
function contextField(keyInput, input, hint) {
  const contexts = new Map();  // key -> X-Context of the last read
  const updateHint = () => {
    const val = input.value.trim();
    const stored = contexts.get(keyInput.value);
    if (!val) hint.textContent = '(none: blind write)';
    else if (stored && val === stored) hint.textContent = '(from the last read of this key)';
    else hint.textContent = '(edited)';
  };
  input.addEventListener('input', updateHint);
  return {
    showForKey(key) {
      input.value = contexts.get(key) || '';
      updateHint();
    },
    /** A read returned ctx for key: shown at once if key is the one in the form. */
    remember(key, ctx) {
      if (!ctx) return;
      contexts.set(key, ctx);
      if (keyInput.value === key) {
        input.value = ctx;
        updateHint();
      }
    },
    /** The user chose ctx for the next write (key null: just set the field). */
    use(key, ctx) {
      input.value = ctx;
      if (key != null) contexts.set(key, ctx);
      updateHint();
    }
  };
}

/** The r and w selects, refilled when N or the default quorums change; update() says whether they were. */
function quorumSelects(rSel, wSel) {
  let sig = '';
  return {
    update(c) {
      const n = c && Number.isInteger(c.n) && c.n > 0 ? c.n : 3;
      const dcs = !!(c && c.dcs);
      const next = n + '/' + (c ? c.r : '') + '/' + (c ? c.w : '') + '/' + dcs;
      if (next === sig) return false;
      sig = next;
      fillQuorumSelect(rSel, n, c ? c.r : null, dcs);
      fillQuorumSelect(wSel, n, c ? c.w : null, dcs);
      return true;
    }
  };
}

/**
 * Options: "default (d)", 1..n, one, quorum, all (and the DC-aware levels with replicas per DC);
 * keeps the previous choice when still offered.
 */
function fillQuorumSelect(sel, n, def, dcs) {
  const prev = sel.value;
  clear(sel);
  sel.appendChild(h('option', { value: '', text: 'default' + (def != null ? ' (' + def + ')' : '') }));
  for (let i = 1; i <= n; i++) sel.appendChild(h('option', { value: String(i), text: String(i) }));
  ['one', 'quorum', 'all'].concat(dcs ? ['local_one', 'local_quorum', 'each_quorum'] : [])
    .forEach(w => sel.appendChild(h('option', { value: w, text: w })));
  if (Array.from(sel.options).some(o => o.value === prev)) sel.value = prev;
  else sel.value = '';
}
