/**
 * Bearer tokens for a node started with --auth-tokens (API.md, "Security"). The token lives in
 * sessionStorage only: it stays while the tab is open and is gone when it closes, and it is never
 * written to localStorage, a cookie or the URL. When the node answers 401 the page asks for a token
 * once, with a small form of its own; every request after that carries it.
 */
const KEY = 'ringkv.token';
let asking = false;
let dialog = null;

export function token() {
  try { return sessionStorage.getItem(KEY) || ''; } catch (e) { return ''; }
}

function remember(value) {
  try {
    if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY);
  } catch (e) { /* storage off: the token lasts until the form asks again */ }
}

/** The Authorization header for a request, merged into `headers` (a new object). */
export function withAuth(headers) {
  const t = token();
  return t ? Object.assign({}, headers, { Authorization: 'Bearer ' + t }) : headers;
}

/** The node refused the request's token (or its lack of one): ask for a token, once at a time. */
export function unauthorized(reason) {
  if (asking) return;
  asking = true;
  const d = form();
  d.querySelector('.auth-reason').textContent = token()
    ? 'The node did not accept this token' + (reason ? ' (' + reason + ')' : '') + '.'
    : 'This node requires a token' + (reason ? ' (' + reason + ')' : '') + '.';
  d.hidden = false;
  d.querySelector('input').value = '';
  d.querySelector('input').focus();
}

function form() {
  if (dialog) return dialog;
  dialog = document.createElement('div');
  dialog.id = 'auth-dialog';
  dialog.className = 'auth-dialog';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-label', 'Token');
  dialog.innerHTML = '<form class="auth-form"><p class="auth-reason"></p>'
    + '<label>Token <input id="auth-token" type="password" autocomplete="off" spellcheck="false"></label> '
    + '<button id="auth-submit" type="submit">Use token</button>'
    + '<p class="auth-note">Kept in this tab only (sessionStorage).</p></form>';
  dialog.hidden = true;
  dialog.querySelector('form').addEventListener('submit', ev => {
    ev.preventDefault();
    remember(dialog.querySelector('input').value.trim());
    dialog.hidden = true;
    asking = false;
    window.dispatchEvent(new CustomEvent('ringkv:token'));
  });
  document.body.appendChild(dialog);
  return dialog;
}
