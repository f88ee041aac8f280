// ringkv's HTTP API: PUT /kv/{key}?w=W with the raw value, GET /kv/{key}?r=R.
//
// Writes carry a causal context, as `ringkv bench` does and as a real client should: a VU sends
// each write with the X-Context of its last answer for that key (its previous write, or in the
// mix script a read), so the write replaces what the VU saw instead of piling up siblings. Each
// key has one writing VU (common.js, writerSlices), so that context covers every version of the
// key. The first write of a key a VU has no context for asks for returnbody=true: its answer's
// X-Context covers whatever was there (the prefill, earlier runs), which the VU's next write of
// the key then replaces.
import http from 'k6/http';
import { check } from 'k6';
import { cfg, baseUrl, keyName, makeValue, ownsKey, prefillAll, prefillTags, randomOwnedIndex } from './common.js';

const VALUE = makeValue();
const OCTETS = 'application/octet-stream';
// Every key has its own URL; the name tag groups them into one series per operation.
export const PUT_NAME = 'PUT /kv/{key}';
export const GET_NAME = 'GET /kv/{key}';

// Key index -> X-Context of this VU's last answer for it. At most KEYS / writerSlices() entries:
// only keys this VU writes are remembered.
const contexts = new Map();

// 404 (key never written) and 300 (siblings) are correct answers to a read, not failures;
// without this k6 would count every 4xx in http_req_failed.
http.setResponseCallback(http.expectedStatuses(200, 204, 300, 404));

function remember(index, res) {
  const context = res.headers['X-Context'];
  if (context) {
    contexts.set(index, context);
  }
}

export function ringkvWrite() {
  const index = randomOwnedIndex();
  const context = contexts.get(index);
  const headers = { 'Content-Type': OCTETS };
  let query = `?w=${cfg.w}`;
  if (context) {
    headers['X-Context'] = context;
  } else {
    query += '&returnbody=true';
  }
  const res = http.put(`${baseUrl()}/kv/${keyName(index)}${query}`, VALUE,
    { headers: headers, tags: { op: 'write', name: PUT_NAME } });
  remember(index, res);
  check(res, { 'put 204/200/300': (r) => r.status === 204 || r.status === 200 || r.status === 300 });
}

export function ringkvRead() {
  const index = Math.floor(Math.random() * cfg.keys);
  const res = http.get(`${baseUrl()}/kv/${keyName(index)}?r=${cfg.r}`, { tags: { op: 'read', name: GET_NAME } });
  if (ownsKey(index)) {
    remember(index, res);
  }
  check(res, { 'get 200/300/404': (r) => r.status === 200 || r.status === 300 || r.status === 404 });
}

export function ringkvPrefill() {
  if (!cfg.prefill) {
    return;
  }
  prefillAll((base, key) => ['PUT', `${base}/kv/${key}?w=${cfg.w}`, VALUE,
    { headers: { 'Content-Type': OCTETS }, tags: prefillTags(PUT_NAME) }]);
}
