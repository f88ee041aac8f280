/** Page-level notices: a toast for errors nobody else shows. */
import { h } from './dom.js';
import { errMessage } from './format.js';

const TOAST_MS = 5000;
let toastTimer = null;

export function toast(msg) {
  let t = document.getElementById('toast');
  if (!t) { t = h('div', { id: 'toast', class: 'toast', role: 'status' }); document.body.appendChild(t); }
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, TOAST_MS);
}

/** Uncaught errors and rejections become toasts instead of passing silently. */
export function reportPageErrors() {
  window.addEventListener('error', ev => {
    toast('Page error: ' + errMessage(ev.error || ev.message));
  });
  window.addEventListener('unhandledrejection', ev => {
    ev.preventDefault();
    toast('Page error: ' + errMessage(ev.reason));
  });
}
