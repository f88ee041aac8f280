// PUT-only load on etcd's v3 JSON gateway (POST /v3/kv/put, base64 key/value).
// Run: k6 run -e BASE_URLS=http://127.0.0.1:2379,http://127.0.0.1:22379 [-e MODE=open|closed|both] [-e RATE=1000] [-e VUS=50] etcd-put.js
// See README.md for every variable and for how this relates to `ringkv bench`.
import { scenarios, thresholds, extraOptions } from './lib/common.js';
import { etcdWrite } from './lib/etcd.js';

// MODE picks the scenarios: open = 'constant-arrival-rate' (fixed RATE per second),
// closed = 'constant-vus' (VUS connections, each sending as soon as the last answer came back).
export const options = Object.assign({
  scenarios: scenarios(),
  thresholds: thresholds(['write']),
}, extraOptions());

export default function () {
  etcdWrite();
}
