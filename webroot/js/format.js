/** Text formatting shared by the views: times, ages, truncation, error messages, ordering. */

function pad(n, w) { return String(n).padStart(w || 2, '0'); }

/** Local wall-clock time with milliseconds, e.g. "14:03:07.042". */
export function clockTime(d) {
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
}

/** An epoch-millisecond timestamp as clock time, prefixed with the date unless it is today. */
export function fmtTimestamp(ms) {
  if (typeof ms !== 'number' || !isFinite(ms) || ms <= 0) return '';
  const d = new Date(ms);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return (sameDay ? '' : d.toISOString().slice(0, 10) + ' ') + clockTime(d);
}

/** Elapsed milliseconds as "3.2 s ago", "40 s ago", "5 min ago", "2 h ago". */
export function fmtAgo(ms) {
  if (typeof ms !== 'number' || !isFinite(ms)) return '–';
  const sec = Math.max(0, ms) / 1000;
  if (sec < 10) return sec.toFixed(1) + ' s ago';
  if (sec < 120) return Math.round(sec) + ' s ago';
  if (sec < 7200) return Math.round(sec / 60) + ' min ago';
  return Math.round(sec / 3600) + ' h ago';
}

export function truncate(str, n) {
  str = String(str);
  return str.length > n ? str.slice(0, n - 1) + '…' : str;
}

export function errMessage(e) {
  if (!e) return 'unknown error';
  if (typeof e === 'string') return e;
  return e.message || String(e);
}

/** Orders node ids the way people read them: n2 before n10. */
export function naturalCompare(a, b) {
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** A byte count as "812 B", "12.3 KB", "4.56 MB" (powers of 1000, as the benchmarks report). */
export function fmtBytes(n) {
  if (typeof n !== 'number' || !isFinite(n)) return '–';
  if (n < 1000) return n + ' B';
  if (n < 1e6) return (n / 1e3).toFixed(1) + ' KB';
  if (n < 1e9) return (n / 1e6).toFixed(2) + ' MB';
  return (n / 1e9).toFixed(2) + ' GB';
}
