// etcd v3 JSON gateway (etcd 3.4): keys and values travel base64-encoded in JSON bodies.
import http from 'k6/http';
import encoding from 'k6/encoding';
import { check } from 'k6';
import { cfg, baseUrl, randomKey, makeValue, prefillAll, prefillTags } from './common.js';

const VALUE_B64 = encoding.b64encode(makeValue());
const JSON_HEADERS = { 'Content-Type': 'application/json' };
export const PUT_NAME = 'POST /v3/kv/put';
export const RANGE_NAME = 'POST /v3/kv/range';

function putBody(key) {
  return JSON.stringify({ key: encoding.b64encode(key), value: VALUE_B64 });
}

export function etcdWrite() {
  const res = http.post(`${baseUrl()}/v3/kv/put`, putBody(randomKey()),
    { headers: JSON_HEADERS, tags: { op: 'write', name: PUT_NAME } });
  check(res, { 'put 200': (r) => r.status === 200 });
}

// serializable: any member answers from its local copy, the closest etcd has to ringkv's r=1..N.
export function etcdRead() {
  const body = JSON.stringify({ key: encoding.b64encode(randomKey()), serializable: true });
  const res = http.post(`${baseUrl()}/v3/kv/range`, body,
    { headers: JSON_HEADERS, tags: { op: 'read', name: RANGE_NAME } });
  check(res, { 'range 200': (r) => r.status === 200 });
}

export function etcdPrefill() {
  if (!cfg.prefill) {
    return;
  }
  prefillAll((base, key) => ['POST', `${base}/v3/kv/put`, putBody(key),
    { headers: JSON_HEADERS, tags: prefillTags(PUT_NAME) }]);
}
