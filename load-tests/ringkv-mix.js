// 50/50 GET/PUT mix on ringkv (READ_RATIO changes the share of reads). A write carries the X-Context
// of this VU's last answer for the key, its previous write or a read (lib/ringkv.js).
// Run: k6 run -e BASE_URLS=http://127.0.0.1:8081,http://127.0.0.1:8082 [-e MODE=open|closed|both] [-e RATE=1000] [-e VUS=50] ringkv-mix.js
// See README.md for every variable and for how this relates to `ringkv bench`.
import { scenarios, thresholds, extraOptions } from './lib/common.js';
import { ringkvRead, ringkvWrite, ringkvPrefill } from './lib/ringkv.js';

// MODE picks the scenarios: open = 'constant-arrival-rate' (fixed RATE per second),
// closed = 'constant-vus' (VUS connections, each sending as soon as the last answer came back).
export const options = Object.assign({
  scenarios: scenarios(),
  thresholds: thresholds(['read', 'write']),
}, extraOptions());

const READ_RATIO = __ENV.READ_RATIO === undefined ? 0.5 : Number(__ENV.READ_RATIO);

export function setup() {
  ringkvPrefill();
}

export default function () {
  if (Math.random() < READ_RATIO) {
    ringkvRead();
  } else {
    ringkvWrite();
  }
}
