package io.ringkv.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * When hinted handoff may send, pure and driven by the caller's clock: a token bucket holds the
 * node's delivery rate (keys per second, at most one second's worth saved up), and a target whose
 * delivery failed waits an exponential backoff (1 s, 2 s, 4 s ... at most 30 s) before the next
 * try. Single-threaded (the handoff verticle's event loop).
 */
final class HandoffPacer {
  static final long FIRST_BACKOFF_MS = 1_000;
  static final long MAX_BACKOFF_MS = 30_000;

  private final double keysPerMs;
  private final double capacity;
  private double tokens;
  private long refilledAtMs;
  private final Map<String, Long> retryAtMs = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();

  HandoffPacer(int keysPerSecond, long nowMs) {
    this.keysPerMs = keysPerSecond / 1000.0;
    this.capacity = keysPerSecond;
    this.tokens = capacity;
    this.refilledAtMs = nowMs;
  }

  /** Whether {@code target} may be tried now (it is not waiting out a backoff). */
  boolean mayTry(String target, long nowMs) {
    Long at = retryAtMs.get(target);
    return at == null || nowMs >= at;
  }

  /**
   * Takes {@code keys} tokens; returns 0 if they were there, else how many ms to wait before
   * calling again (nothing is taken then).
   */
  long take(int keys, long nowMs) {
    refill(nowMs);
    double need = Math.min(keys, capacity);
    if (tokens >= need) {
      tokens -= need;
      return 0;
    }
    return (long) Math.ceil((need - tokens) / keysPerMs);
  }

  void succeeded(String target) {
    retryAtMs.remove(target);
    failures.remove(target);
  }

  /** Records a failed delivery; returns the backoff before the next try. */
  long failed(String target, long nowMs) {
    int n = failures.merge(target, 1, Integer::sum);
    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(n - 1, 20));
    retryAtMs.put(target, nowMs + backoff);
    return backoff;
  }

  private void refill(long nowMs) {
    if (nowMs > refilledAtMs) {
      tokens = Math.min(capacity, tokens + (nowMs - refilledAtMs) * keysPerMs);
      refilledAtMs = nowMs;
    }
  }
}
