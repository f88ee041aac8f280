// 50/50 range/put mix on etcd's v3 JSON gateway (READ_RATIO changes the share of reads).
// Run: k6 run -e BASE_URLS=http://127.0.0.1:2379,http://127.0.0.1:22379 [-e MODE=open|closed|both] [-e RATE=1000] [-e VUS=50] etcd-mix.js
// See README.md for every variable and for how this relates to `ringkv bench`.
import { scenarios, thresholds, extraOptions } from './lib/common.js';
import { etcdRead, etcdWrite, etcdPrefill } from './lib/etcd.js';

// MODE picks the scenarios: open = 'constant-arrival-rate' (fixed RATE per second),
// closed = 'constant-vus' (VUS connections, each sending as soon as the last answer came back).
export const options = Object.assign({
  scenarios: scenarios(),
  thresholds: thresholds(['read', 'write']),
}, extraOptions());

const READ_RATIO = __ENV.READ_RATIO === undefined ? 0.5 : Number(__ENV.READ_RATIO);

export function setup() {
  etcdPrefill();
}

export default function () {
  if (Math.random() < READ_RATIO) {
    etcdRead();
  } else {
    etcdWrite();
  }
}
