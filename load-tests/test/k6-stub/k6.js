// Stub of k6's `k6` module: checks are evaluated and recorded.
import { stub } from './http.js';

export function check(value, checks) {
  let all = true;
  for (const [name, fn] of Object.entries(checks)) {
    const ok = Boolean(fn(value));
    stub.checks.push({ vu: globalThis.__VU, name: name, ok: ok });
    all = all && ok;
  }
  return all;
}

export function sleep() {}

export function group(name, fn) {
  return fn();
}

export function fail(message) {
  throw new Error(message);
}

export default { check, sleep, group, fail };
