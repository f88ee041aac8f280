/**
 * Client of the node that served the page (same origin, path-absolute URLs):
 *   GET  /cluster                  node health, N/R/W, ring summary
 *   GET  /cluster/ring             owner of every partition
 *   GET  /cluster/preference/{k}   partition and replicas of a key
 *   GET  /cluster/antientropy/nodes every node's last anti-entropy pass
 *   POST /cluster/antientropy/run   start a pass on this node
 *   GET|PUT|DELETE /kv/{k}         values, with ?r= / ?w= quorums
 *   WS   /feed                     live update/conflict events (see feed-connection.js)
 * No call throws: every answer is a result object (see request()).
 */
import { errMessage } from './format.js';
import { unauthorized, withAuth } from './auth.js';

const ACCEPT_JSON = { Accept: 'application/json' };
const KV_TIMEOUT_MS = 15000;

export const api = {
  cluster: () => request('GET', '/cluster', { timeoutMs: 3000, headers: ACCEPT_JSON }),
  ring: () => request('GET', '/cluster/ring', { timeoutMs: 5000, headers: ACCEPT_JSON }),
  preference: key => request('GET', '/cluster/preference/' + encodeURIComponent(key),
    { timeoutMs: 4000, headers: ACCEPT_JSON }),
  antiEntropyNodes: () => request('GET', '/cluster/antientropy/nodes', { timeoutMs: 5000, headers: ACCEPT_JSON }),
  runAntiEntropy: () => request('POST', '/cluster/antientropy/run', { timeoutMs: 5000, headers: ACCEPT_JSON }),
  /** A GET, PUT or DELETE of a path made by kvPath(). */
  kv: (method, path, headers, body) => request(method, path, { headers, body, timeoutMs: KV_TIMEOUT_MS }),
  feedUrl: () => (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/feed'
};

/** "/kv/{key}", with "?param=value" when a quorum value is given. */
export function kvPath(key, param, value) {
  return '/kv/' + encodeURIComponent(key) + (value ? '?' + param + '=' + encodeURIComponent(value) : '');
}

/**
 * fetch wrapper that never throws. Resolves to
 * {ok: true, status, statusText, headers, text, bytes, utf8, json, ms} or {ok: false, error, ms}.
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
      headers: withAuth(opts.headers || {}),
      body: opts.body,
      signal: ctrl.signal,
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'follow'
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
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
    if (res.status === 401) unauthorized(json && json.message);
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

// HTTP/2 and some proxies send no reason phrase.
const STATUS_TEXT = {
  200: 'OK', 202: 'Accepted', 204: 'No Content', 300: 'Multiple Choices', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large',
  500: 'Internal Server Error', 503: 'Service Unavailable'
};

export function statusLine(res) {
  return res.status + ' ' + (res.statusText || STATUS_TEXT[res.status] || '');
}

/** One line for a failed call: the network error, or the status and the JSON error's message. */
export function describeHttpFailure(res) {
  if (!res.ok) return res.error;
  if (res.json && (res.json.message || res.json.error)) {
    return statusLine(res).trim() + ': ' + (res.json.message || res.json.error);
  }
  return statusLine(res).trim();
}
