// Checks the k6 scripts under Node, with stubs of k6's modules (k6-stub/): every script imports,
// its options are well-formed k6 options, setup() and the default function run for several VUs,
// and the requests are what load-tests/README.md promises: a `name` tag on every request, writes
// that carry the X-Context of the VU's previous answer for the key, one writing VU per key, and a
// prefill tagged so that no threshold counts it. This checks logic, not k6 itself: run the
// scripts on a real k6 before trusting numbers from them.
//
// Run: node load-tests/test/k6-scripts.test.mjs   (Node 20; also run by K6ScriptsTest in mvn verify)
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { test } from 'node:test';

register('./k6-stub/loader.mjs', import.meta.url);
const { stub } = await import('./k6-stub/http.js');

const RINGKV = ['ringkv-put.js', 'ringkv-get.js', 'ringkv-mix.js'];
const ETCD = ['etcd-put.js', 'etcd-get.js', 'etcd-mix.js'];
const URLS = ['http://127.0.0.1:8081', 'http://127.0.0.1:8082', 'http://127.0.0.1:8083'];
const NAMES = {
  ringkv: { write: 'PUT /kv/{key}', read: 'GET /kv/{key}' },
  etcd: { write: 'POST /v3/kv/put', read: 'POST /v3/kv/range' },
};
let runs = 0;

/** Runs a script as k6 would: init and setup() in VU 0, then `iterations` rounds over VUs 1..vus. */
async function run(script, { env = {}, vus = 3, iterations = 200 } = {}) {
  stub.reset();
  globalThis.__ENV = { BASE_URLS: URLS.join(','), KEYS: '60', VUS: String(vus), ...env };
  const run = ++runs;
  const instance = (vu) => {
    globalThis.__VU = vu;
    globalThis.__ITER = 0;
    const url = new URL('../' + script, import.meta.url);
    url.searchParams.set('vu', `${run}.${vu}`); // a fresh copy of every module per VU and run
    return import(url.href);
  };
  const first = await instance(0);
  let data;
  if (first.setup) {
    stub.phase = 'setup';
    data = first.setup();
  }
  stub.phase = 'default';
  const modules = [];
  for (let vu = 1; vu <= vus; vu++) {
    modules.push(await instance(vu));
  }
  for (let iter = 0; iter < iterations; iter++) {
    for (let vu = 1; vu <= vus; vu++) {
      globalThis.__VU = vu;
      globalThis.__ITER = iter;
      modules[vu - 1].default(data);
    }
  }
  return { options: first.options, hasSetup: Boolean(first.setup), requests: stub.requests, checks: stub.checks,
    ringkv: stub.ringkv };
}

const measured = (r) => r.phase === 'default';
const keyOf = (r) => {
  if (r.url.includes('/kv/bench-')) {
    return r.url.substring(r.url.indexOf('/kv/') + 4).split('?')[0];
  }
  return Buffer.from(JSON.parse(r.body).key, 'base64').toString('utf8');
};
const indexOf = (key) => Number(key.substring('bench-'.length));
const isWrite = (r) => r.method === 'PUT' || r.url.endsWith('/v3/kv/put');

function assertValidOptions(options, mode) {
  const scenarios = options.scenarios;
  const expected = { open: ['open'], closed: ['closed'], both: ['open', 'closed'] }[mode];
  assert.deepEqual(Object.keys(scenarios), expected, mode);
  for (const [name, s] of Object.entries(scenarios)) {
    assert.deepEqual(s.tags, { loop: name, measured: 'true' });
    if (name === 'open') {
      assert.equal(s.executor, 'constant-arrival-rate');
      for (const field of ['rate', 'preAllocatedVUs', 'maxVUs']) {
        assert.ok(Number.isInteger(s[field]) && s[field] > 0, `${field}: ${s[field]}`);
      }
      assert.ok(s.maxVUs >= s.preAllocatedVUs);
      assert.equal(s.timeUnit, '1s');
    } else {
      assert.equal(s.executor, 'constant-vus');
      assert.ok(Number.isInteger(s.vus) && s.vus > 0);
    }
    assert.match(s.duration, /^\d+(ms|s|m|h)$/);
    assert.match(s.startTime, /^\d+s$/);
  }
  for (const [metric, conditions] of Object.entries(options.thresholds)) {
    assert.match(metric, /^(http_reqs|http_req_failed|http_req_duration|checks|dropped_iterations)(\{[a-z_]+:[a-z]+(,[a-z_]+:[a-z]+)*\})?$/);
    for (const c of conditions) {
      assert.match(c, /^(rate|count|p\(\d+(\.\d+)?\))\s*(<|<=|>|>=)\s*\d+(\.\d+)?$/, `${metric}: ${c}`);
    }
    if (!['checks', 'dropped_iterations'].includes(metric)) {
      assert.ok(metric.includes('measured:true'), `${metric} counts measured requests only`);
    }
  }
  assert.equal('dropped_iterations' in options.thresholds, mode !== 'closed');
  assert.ok(!options.systemTags.includes('url'), 'no url tag: one time series per URL would be one per key');
  assert.ok(options.systemTags.includes('name') && options.systemTags.includes('status'));
}

test('every script imports, has valid options in every MODE and runs for several VUs', async () => {
  for (const script of [...RINGKV, ...ETCD]) {
    for (const mode of ['open', 'closed', 'both']) {
      const r = await run(script, { env: { MODE: mode }, iterations: 50 });
      assertValidOptions(r.options, mode);
      assert.equal(r.requests.filter(measured).length, 3 * 50, `${script} ${mode}: one request per iteration`);
      assert.ok(r.checks.length >= 150 && r.checks.every((c) => c.ok), `${script}: checks pass`);
      for (const q of r.requests) {
        assert.ok([200, 204, 300, 404].includes(q.response.status), `${script}: ${q.method} ${q.url} -> ${q.response.status}`);
      }
    }
  }
});

test('VU n sends to base URL n mod count, like bench --url', async () => {
  for (const script of ['ringkv-mix.js', 'etcd-mix.js']) {
    const r = await run(script, { vus: 5, iterations: 20 });
    for (const q of r.requests.filter(measured)) {
      assert.ok(q.url.startsWith(URLS[(q.vu - 1) % URLS.length] + '/'), `VU ${q.vu}: ${q.url}`);
    }
  }
});

test('every request carries a name tag: one per operation, not one per key', async () => {
  for (const script of [...RINGKV, ...ETCD]) {
    const r = await run(script, { iterations: 100 });
    const names = NAMES[script.startsWith('etcd') ? 'etcd' : 'ringkv'];
    for (const q of r.requests) {
      const tags = q.params.tags || {};
      const op = q.phase === 'setup' ? 'prefill' : isWrite(q) ? 'write' : 'read';
      assert.equal(tags.op, op, `${script}: ${q.method} ${q.url}`);
      assert.equal(tags.name, names[op === 'read' ? 'read' : 'write'], `${script}: ${q.method} ${q.url}`);
    }
    const series = new Set(r.requests.map((q) => q.params.tags.name));
    assert.ok(series.size <= 2, `${script}: ${[...series]}`);
  }
});

test('ringkv writes after the first send the X-Context of the same VU\'s previous write of the key', async () => {
  const r = await run('ringkv-put.js', { env: { KEYS: '30' }, iterations: 300 });
  const last = new Map(); // "vu key" -> X-Context of the previous write
  let chained = 0;
  for (const q of r.requests) {
    const at = `${q.vu} ${keyOf(q)}`;
    const sent = q.params.headers['X-Context'];
    if (!last.has(at)) {
      assert.equal(sent, undefined, `first write of ${at} has no context`);
      assert.ok(q.url.includes('returnbody=true'), `first write of ${at} learns what is there: ${q.url}`);
    } else {
      assert.equal(sent, last.get(at), `write of ${at} carries its previous write's context`);
      assert.ok(!q.url.includes('returnbody'), q.url);
      assert.equal(q.response.status, 204);
      chained++;
    }
    assert.ok(q.response.headers['X-Context'], 'every write answer has a context');
    last.set(at, q.response.headers['X-Context']);
  }
  assert.ok(chained > 500, `most writes carried a context: ${chained}`);
});

test('in the mix, a write carries the X-Context of the VU\'s last answer for the key, read or write', async () => {
  const r = await run('ringkv-mix.js', { env: { KEYS: '30' }, vus: 3, iterations: 400 });
  const last = new Map();
  let fromReads = 0;
  for (const q of r.requests.filter(measured)) {
    const at = `${q.vu} ${keyOf(q)}`;
    if (q.method === 'PUT') {
      const previous = last.get(at);
      assert.equal(q.params.headers['X-Context'], previous ? previous.context : undefined, `write of ${at}`);
      fromReads += previous && previous.method === 'GET' ? 1 : 0;
    }
    const owned = indexOf(keyOf(q)) % 3 === (q.vu - 1) % 3;
    if (owned && q.response.headers['X-Context']) {
      last.set(at, { context: q.response.headers['X-Context'], method: q.method });
    }
  }
  assert.ok(fromReads > 20, `some writes used a read's context: ${fromReads}`);
});

test('each key has one writing VU, so siblings do not pile up', async () => {
  for (const script of ['ringkv-put.js', 'ringkv-mix.js']) {
    const r = await run(script, { env: { KEYS: '40', VUS: '4' }, vus: 4, iterations: 500 });
    const writes = new Map();
    for (const q of r.requests.filter((x) => measured(x) && x.method === 'PUT')) {
      const index = indexOf(keyOf(q));
      assert.equal(index % 4, (q.vu - 1) % 4, `${script}: VU ${q.vu} writes only its slice, wrote ${index}`);
      writes.set(index, (writes.get(index) || 0) + 1);
    }
    assert.equal(writes.size, 40, `${script}: every key is written`);
    for (const [index, count] of writes) {
      // The prefill's version goes with the key's second write, which carries the context learned
      // by the first (returnbody=true).
      const siblings = r.ringkv.siblings('bench-' + index);
      assert.equal(siblings, 1, `${script}: bench-${index} after ${count} writes has ${siblings} versions`);
    }
  }
});

test('with blind writes the same run would pile up siblings (the model notices)', async () => {
  const r = await run('ringkv-put.js', { env: { KEYS: '40', VUS: '4' }, vus: 4, iterations: 100 });
  for (const q of r.requests.filter((x) => x.method === 'PUT').slice(0, 200)) {
    r.ringkv.put(keyOf(q), undefined, false);
  }
  const most = Math.max(...Array.from({ length: 40 }, (_, i) => r.ringkv.siblings('bench-' + i)));
  assert.ok(most >= 3, `blind writes leave siblings: ${most}`);
});

test('the prefill is tagged apart from measured requests and can be switched off', async () => {
  for (const script of ['ringkv-get.js', 'ringkv-mix.js', 'etcd-get.js', 'etcd-mix.js']) {
    const r = await run(script, { env: { KEYS: '250' }, iterations: 10 });
    const prefill = r.requests.filter((q) => q.phase === 'setup');
    assert.equal(prefill.length, 250, `${script}: every key once`);
    assert.deepEqual(new Set(prefill.map(keyOf)).size, 250);
    for (const q of prefill) {
      assert.equal(q.params.tags.phase, 'prefill');
      assert.equal(q.params.tags.op, 'prefill');
      assert.ok(!('measured' in q.params.tags), 'no threshold counts the prefill');
      assert.ok(isWrite(q));
    }
    for (const q of r.requests.filter(measured)) {
      assert.ok(!('phase' in q.params.tags), 'measured requests are not tagged as prefill');
    }
    assert.deepEqual(r.options.thresholds['http_reqs{measured:true}'], ['count>0'],
      'the summary shows the measured requests apart from the prefill');
    const none = await run(script, { env: { KEYS: '250', PREFILL: 'false' }, iterations: 10 });
    assert.equal(none.requests.filter((q) => q.phase === 'setup').length, 0, `${script}: PREFILL=false`);
  }
  for (const script of ['ringkv-put.js', 'etcd-put.js']) {
    assert.equal((await run(script, { iterations: 1 })).hasSetup, false, `${script} has no prefill`);
  }
});

test('etcd requests are JSON with base64 keys and values; reads are serializable', async () => {
  const r = await run('etcd-mix.js', { iterations: 100 });
  for (const q of r.requests) {
    const body = JSON.parse(q.body);
    assert.match(Buffer.from(body.key, 'base64').toString('utf8'), /^bench-\d+$/);
    assert.equal(q.params.headers['Content-Type'], 'application/json');
    if (q.url.endsWith('/v3/kv/put')) {
      assert.equal(Buffer.from(body.value, 'base64').length, 100);
    } else {
      assert.equal(body.serializable, true);
    }
  }
});
