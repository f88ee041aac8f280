// ringkv's HTTP API: PUT /kv/{key}?w=W with the raw value, GET /kv/{key}?r=R.
import http from 'k6/http';
import { check } from 'k6';
import { cfg, baseUrl, randomKey, makeValue, prefillAll } from './common.js';

const VALUE = makeValue();
const PUT_PARAMS = { headers: { 'Content-Type': 'application/octet-stream' }, tags: { op: 'write' } };
const GET_PARAMS = { tags: { op: 'read' } };

// 404 (key never written) and 300 (siblings) are correct answers to a read, not failures;
// without this k6 would count every 4xx in http_req_failed.
http.setResponseCallback(http.expectedStatuses(200, 204, 300, 404));

export function ringkvWrite() {
  const res = http.put(`${baseUrl()}/kv/${randomKey()}?w=${cfg.w}`, VALUE, PUT_PARAMS);
  check(res, { 'put 204/200': (r) => r.status === 204 || r.status === 200 });
}

export function ringkvRead() {
  const res = http.get(`${baseUrl()}/kv/${randomKey()}?r=${cfg.r}`, GET_PARAMS);
  check(res, { 'get 200/300/404': (r) => r.status === 200 || r.status === 300 || r.status === 404 });
}

export function ringkvPrefill() {
  if (!cfg.prefill) {
    return;
  }
  prefillAll((base, key) => ['PUT', `${base}/kv/${key}?w=${cfg.w}`, VALUE,
    { headers: { 'Content-Type': 'application/octet-stream' }, tags: { op: 'prefill' } }]);
}
