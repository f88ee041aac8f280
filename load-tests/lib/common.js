// Shared settings for the ringkv / etcd k6 scripts. Everything is read from -e VAR=... so one
// script covers open loop, closed loop and any target size. Written against k6 v0.48 APIs.
import http from 'k6/http';

function num(name, dflt) {
  const v = __ENV[name];
  return v === undefined || v === '' ? dflt : Number(v);
}

function str(name, dflt) {
  const v = __ENV[name];
  return v === undefined || v === '' ? dflt : v;
}

export const cfg = {
  // Comma-separated base URLs; each VU (= one keep-alive connection) is pinned to one of them,
  // round robin, like `ringkv bench --url a,b,c` spreads its connections.
  urls: str('BASE_URLS', 'http://127.0.0.1:8081').split(',').map((u) => u.trim().replace(/\/+$/, '')).filter((u) => u),
  mode: str('MODE', 'open'), // open | closed | both
  rate: num('RATE', 1000), // open loop: iterations (= requests) per second
  duration: str('DURATION', '30s'),
  vus: num('VUS', 50), // closed loop: concurrent connections; open loop: pre-allocated VUs
  maxVus: num('MAX_VUS', 200), // open loop: VUs k6 may add when requests slow down
  keys: num('KEYS', 100000),
  valueBytes: num('VALUE_BYTES', 100),
  r: str('R', '2'),
  w: str('W', '2'),
  prefill: str('PREFILL', 'true') === 'true',
  p99Ms: num('P99_MS', 50), // all requests
  p99ReadMs: num('P99_READ_MS', num('P99_MS', 50)),
  p99WriteMs: num('P99_WRITE_MS', num('P99_MS', 50)),
  maxDropped: num('MAX_DROPPED', 0), // open loop: iterations k6 could not start on time
};

// Same key names as `ringkv bench`, so a bench prefill also serves k6 reads and vice versa.
export function keyName(index) {
  return 'bench-' + index;
}

export function randomKey() {
  return keyName(Math.floor(Math.random() * cfg.keys));
}

// Writers: the key space is split among the VUS pre-allocated VUs (key i belongs to VU i mod VUS,
// counting from 1), so each key has one writer. k6 VUs share no memory, so a VU knows only the
// X-Context of its own answers: if several VUs wrote one key, each write would keep the others'
// versions beside it as siblings. VUs that k6 adds beyond VUS (open loop, under overload) share
// the slices of the first ones.
export function writerSlices() {
  return Math.max(1, Math.min(cfg.vus, cfg.keys));
}

export function ownsKey(index) {
  return index % writerSlices() === (Math.max(1, __VU) - 1) % writerSlices();
}

export function randomOwnedIndex() {
  const slices = writerSlices();
  const slice = (Math.max(1, __VU) - 1) % slices;
  const count = Math.floor((cfg.keys - 1 - slice) / slices) + 1;
  return Math.floor(Math.random() * count) * slices + slice;
}

// The VU's fixed base URL: __VU starts at 1 (0 inside setup()).
export function baseUrl() {
  return cfg.urls[Math.max(0, __VU - 1) % cfg.urls.length];
}

// A random printable value of VALUE_BYTES bytes, made once per VU (init code runs per VU).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function makeValue() {
  let s = '';
  for (let i = 0; i < cfg.valueBytes; i++) {
    s += ALPHABET.charAt(Math.floor(Math.random() * ALPHABET.length));
  }
  return s;
}

function openScenario(startTime) {
  return {
    executor: 'constant-arrival-rate',
    rate: cfg.rate,
    timeUnit: '1s',
    duration: cfg.duration,
    preAllocatedVUs: cfg.vus,
    maxVUs: Math.max(cfg.vus, cfg.maxVus),
    startTime: startTime,
    tags: { loop: 'open', measured: 'true' },
  };
}

function closedScenario(startTime) {
  return {
    executor: 'constant-vus',
    vus: cfg.vus,
    duration: cfg.duration,
    startTime: startTime,
    tags: { loop: 'closed', measured: 'true' },
  };
}

// "both" runs the closed loop after the open one (plus a pause), never at the same time.
function durationSeconds(d) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d);
  if (!m) {
    return 60;
  }
  const f = { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
  return Number(m[1]) * f;
}

export function scenarios() {
  if (cfg.mode === 'closed') {
    return { closed: closedScenario('0s') };
  }
  if (cfg.mode === 'both') {
    const pause = Math.ceil(durationSeconds(cfg.duration)) + 5;
    return { open: openScenario('0s'), closed: closedScenario(pause + 's') };
  }
  return { open: openScenario('0s') };
}

// Failure rate below 1% and p99 limits per operation (in ms), all configurable. Only requests
// of the measured scenarios count (tag measured:true): the setup() prefill is excluded.
export function thresholds(ops) {
  const t = {
    // Always true; it makes the summary list the measured requests on their own line, because
    // http_reqs itself also counts the prefill (k6 shows only submetrics that have thresholds).
    'http_reqs{measured:true}': ['count>0'],
    'http_req_failed{measured:true}': ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{measured:true}': [`p(99)<${cfg.p99Ms}`],
  };
  if (ops.indexOf('read') >= 0) {
    t['http_req_duration{measured:true,op:read}'] = [`p(99)<${cfg.p99ReadMs}`];
  }
  if (ops.indexOf('write') >= 0) {
    t['http_req_duration{measured:true,op:write}'] = [`p(99)<${cfg.p99WriteMs}`];
  }
  if (cfg.mode !== 'closed') {
    // A dropped iteration is a request the open loop wanted to send but had no free VU for:
    // k6 does not time it, so any drop means the percentiles look better than reality.
    t.dropped_iterations = [`count<=${cfg.maxDropped}`];
  }
  return t;
}

// k6's default system tags without `url`: every key has its own URL, and with it each request
// would be its own time series (k6 warned of 100k-800k series and used 2.7 GB at KEYS=100000).
// Requests carry a `name` tag (`PUT /kv/{key}`) instead.
export const SYSTEM_TAGS = ['proto', 'subproto', 'status', 'method', 'name', 'group', 'check', 'error',
  'error_code', 'tls_version', 'scenario', 'service', 'expected_response'];

// Options besides scenarios/thresholds; setup() prefill may take a while on big key spaces.
export function extraOptions() {
  return {
    setupTimeout: str('SETUP_TIMEOUT', '10m'),
    discardResponseBodies: false,
    systemTags: SYSTEM_TAGS,
    summaryTrendStats: ['avg', 'med', 'p(90)', 'p(99)', 'p(99.9)', 'max'],
  };
}

// Tags of setup() prefill requests: no `measured` tag, so no threshold counts them.
export function prefillTags(name) {
  return { op: 'prefill', phase: 'prefill', name: name };
}

// Writes every key once, BATCH requests at a time, before the measured scenarios start.
export function prefillAll(makeRequest, batch) {
  const size = batch || 100;
  let failed = 0;
  for (let start = 0; start < cfg.keys; start += size) {
    const reqs = [];
    for (let k = start; k < Math.min(cfg.keys, start + size); k++) {
      reqs.push(makeRequest(cfg.urls[k % cfg.urls.length], keyName(k)));
    }
    const responses = http.batch(reqs);
    for (const res of responses) {
      if (res.status < 200 || res.status >= 300) {
        failed++;
      }
    }
  }
  if (failed > 0) {
    console.warn(`prefill: ${failed} of ${cfg.keys} writes failed`);
  }
}
