// Stub of k6's `k6/http` module. Requests are synchronous, as in k6, and answered by small models
// of ringkv (causal contexts and siblings) and of etcd's JSON gateway. Every request is recorded
// with the VU and phase it came from, so tests can check what the scripts send.

// A model of ringkv's contexts: a context token covers a set of versions; a write removes the
// live versions its context covers and adds its own; a 204 returns a token covering the write and
// what its context covered (as the real X-Context after a write), a read or returnbody=true one
// covering every live version.
class FakeRingkv {
  constructor() {
    this.live = new Map(); // key -> Set of version ids
    this.tokens = new Map(); // token -> Set of version ids
    this.nextVersion = 1;
  }

  token(versions) {
    const t = 'ctx' + this.tokens.size;
    this.tokens.set(t, new Set(versions));
    return t;
  }

  put(key, context, returnBody) {
    let covered = new Set();
    if (context !== undefined) {
      covered = this.tokens.get(context);
      if (!covered) {
        return { status: 400, headers: {}, body: '{"error":"bad_request"}' };
      }
    }
    const live = this.live.get(key) || new Set();
    for (const v of covered) {
      live.delete(v);
    }
    const version = this.nextVersion++;
    live.add(version);
    this.live.set(key, live);
    if (returnBody) {
      return { status: live.size > 1 ? 300 : 200, headers: { 'X-Context': this.token(live) }, body: 'doc' };
    }
    return { status: 204, headers: { 'X-Context': this.token([...covered, version]) }, body: null };
  }

  get(key) {
    const live = this.live.get(key);
    if (!live || live.size === 0) {
      return { status: 404, headers: {}, body: '{"error":"not_found"}' };
    }
    return { status: live.size > 1 ? 300 : 200, headers: { 'X-Context': this.token(live) }, body: 'value' };
  }

  siblings(key) {
    return (this.live.get(key) || new Set()).size;
  }
}

export const stub = {
  ringkv: new FakeRingkv(),
  requests: [],
  checks: [],
  phase: 'default',
  responseCallback: null,
  reset() {
    this.ringkv = new FakeRingkv();
    this.requests = [];
    this.checks = [];
    this.phase = 'default';
  },
};

function answer(method, url, body, params) {
  const u = new URL(url);
  if (u.pathname.startsWith('/kv/')) {
    const key = decodeURIComponent(u.pathname.substring(4));
    const headers = (params && params.headers) || {};
    if (method === 'PUT') {
      return stub.ringkv.put(key, headers['X-Context'], u.searchParams.get('returnbody') === 'true');
    }
    if (method === 'GET') {
      return stub.ringkv.get(key);
    }
  }
  if (method === 'POST' && (u.pathname === '/v3/kv/put' || u.pathname === '/v3/kv/range')) {
    JSON.parse(body); // the gateway wants JSON
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' };
  }
  return { status: 501, headers: {}, body: 'the stub does not know ' + method + ' ' + url };
}

export function request(method, url, body, params) {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new Error('k6 needs an absolute URL, got ' + url);
  }
  const res = answer(method, url, body, params);
  const response = { status: res.status, headers: res.headers, body: res.body, url: url, request: { method, url } };
  stub.requests.push({
    vu: globalThis.__VU, iter: globalThis.__ITER, phase: stub.phase, method: method, url: url, body: body,
    params: params || {}, response: response,
  });
  return response;
}

export function get(url, params) {
  return request('GET', url, null, params);
}

export function put(url, body, params) {
  return request('PUT', url, body, params);
}

export function post(url, body, params) {
  return request('POST', url, body, params);
}

export function del(url, body, params) {
  return request('DELETE', url, body, params);
}

export function batch(requests) {
  return requests.map((r) => (Array.isArray(r) ? request(r[0], r[1], r[2], r[3]) : request(r.method, r.url, r.body, r.params)));
}

export function expectedStatuses(...statuses) {
  return { expectedStatuses: statuses };
}

export function setResponseCallback(callback) {
  stub.responseCallback = callback;
}

export default { request, get, put, post, del, batch, expectedStatuses, setResponseCallback };
