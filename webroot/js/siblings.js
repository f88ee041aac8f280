/** Decoding and drawing of sibling versions (values with vector clocks), shared by several views. */
import { h } from './dom.js';
import { fmtTimestamp, naturalCompare } from './format.js';

const HEX_PREVIEW_BYTES = 48;

/** Decodes a sibling's value. Returns {text, bytes (Uint8Array|null), binary, size}. */
export function decodeSibling(sib) {
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

/** The first bytes in hex, "0a ff …". */
export function hexPreview(bytes) {
  const parts = [];
  for (let i = 0; i < Math.min(bytes.length, HEX_PREVIEW_BYTES); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > HEX_PREVIEW_BYTES ? ' …' : '');
}

/** A vector clock as "n1:2 n3:1" (sorted by node id), one span per entry. */
export function clockEl(clock) {
  const keys = clock && typeof clock === 'object' ? Object.keys(clock).sort(naturalCompare) : [];
  const el = h('span', { class: 'clock', title: 'vector clock' });
  if (!keys.length) { el.textContent = '{}'; return el; }
  keys.forEach((k, i) => {
    el.appendChild(h('span', { class: 'c', text: k + ':' + clock[k] }));
    if (i < keys.length - 1) el.appendChild(document.createTextNode(' '));
  });
  return el;
}

/** The value itself: text, a hex preview of binary, or a tombstone mark. */
export function valueBox(sib) {
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
export function siblingCard(sib, i, onPick) {
  const el = h('div', { class: 'sibling' + (sib.deleted ? ' tombstone' : ''), dataset: { index: String(i), deleted: sib.deleted ? 'true' : 'false' } });
  el.appendChild(h('div', { class: 'sibling-head' },
    h('span', { class: 'sibling-index', text: 'sibling ' + (i + 1) }),
    onPick ? h('button', { type: 'button', class: 'btn btn-ghost btn-small pick', text: sib.deleted ? 'Pick (delete)' : 'Pick', onclick: onPick }) : null));
  el.appendChild(clockEl(sib.clock));
  if (sib.deleted) el.appendChild(h('div', { class: 'tomb', text: '✝ tombstone (deleted)' }));
  else el.appendChild(valueBox(sib));
  const meta = [];
  if (sib.contentType) meta.push(sib.contentType);
  if (sib.encoding) meta.push(sib.encoding);
  if (sib.timestamp) meta.push(fmtTimestamp(sib.timestamp));
  el.appendChild(h('div', { class: 'sib-meta', text: meta.join(' · ') }));
  return el;
}
