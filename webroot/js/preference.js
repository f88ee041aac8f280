/** The preference list of the key in focus: its partition and its replicas in order, with status. */
import { $, h, clear } from './dom.js';
import { colorOf, statusOf } from './cluster-model.js';

const STATUS_COLOR = { up: 'var(--ok)', suspect: 'var(--warn)', down: 'var(--err)' };

export function mount(root, { store }) {
  const state = store.state;
  const list = $('#preference', root);

  function render() {
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
      const st = statusOf(state, rep);
      list.appendChild(h('li', { class: 'replica', dataset: { node: String(rep), order: String(i + 1) } },
        h('span', { class: 'replica-chip' },
          h('span', { class: 'ord', style: { background: colorOf(state, rep) }, text: String(i + 1) }),
          String(rep),
          st !== 'unknown' ? h('span', { class: 'st status-text-' + st, style: { color: STATUS_COLOR[st] }, text: st }) : null)));
    });
  }

  store.on('cluster', render);
  store.on('pref', render);
}
