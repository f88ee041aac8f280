package io.ringkv.antientropy;

/**
 * The bytes-per-second budget of anti-entropy traffic, pure and driven by the caller's clock: a
 * token bucket that may go into debt. Every message is charged after the fact (a reply's size is
 * known only once it arrived); the next message waits until the debt is paid back. At most one
 * second's worth is saved up, so an idle node does not burst more than that.
 */
final class ByteBudget {
  private final double bytesPerMs;
  private final double capacity;
  private double tokens;
  private long refilledAtMs;

  ByteBudget(long bytesPerSecond, long nowMs) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytes per second must be >= 1, got " + bytesPerSecond);
    }
    this.bytesPerMs = bytesPerSecond / 1000.0;
    this.capacity = bytesPerSecond;
    this.tokens = capacity;
    this.refilledAtMs = nowMs;
  }

  /** Charges {@code bytes}; returns how many ms to wait before the next message (0: none). */
  long charge(long bytes, long nowMs) {
    refill(nowMs);
    tokens -= bytes;
    return waitMs();
  }

  /** How long until the budget is out of debt (0: now). */
  long waitMs(long nowMs) {
    refill(nowMs);
    return waitMs();
  }

  private long waitMs() {
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerMs);
  }

  private void refill(long nowMs) {
    if (nowMs > refilledAtMs) {
      tokens = Math.min(capacity, tokens + (nowMs - refilledAtMs) * bytesPerMs);
      refilledAtMs = nowMs;
    }
  }
}
