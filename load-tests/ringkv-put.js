// PUT-only load on ringkv: write throughput/latency at quorum w (default 2). Each write carries the
// X-Context of this VU's previous write of the key, and each key has one writing VU (lib/ringkv.js).
// Run: k6 run -e BASE_URLS=http://127.0.0.1:8081,http://127.0.0.1:8082 [-e MODE=open|closed|both] [-e RATE=1000] [-e VUS=50] ringkv-put.js
// See README.md for every variable and for how this relates to `ringkv bench`.
import { scenarios, thresholds, extraOptions } from './lib/common.js';
import { ringkvWrite } from './lib/ringkv.js';

// MODE picks the scenarios: open = 'constant-arrival-rate' (fixed RATE per second),
// closed = 'constant-vus' (VUS connections, each sending as soon as the last answer came back).
export const options = Object.assign({
  scenarios: scenarios(),
  thresholds: thresholds(['write']),
}, extraOptions());

export default function () {
  ringkvWrite();
}
