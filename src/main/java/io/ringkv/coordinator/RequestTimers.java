package io.ringkv.coordinator;

import io.vertx.core.Vertx;

/**
 * Request timeouts of one coordinator instance: the {@link Deadlines} of its pending requests and
 * one Vert.x timer, set for the earliest of them, instead of one timer per request. Requests
 * almost always answer long before their timeout, so the timer mostly fires to find nothing due
 * and moves on to the next deadline: about one timer per timeout period instead of one per
 * request. Used on the coordinator's event loop only.
 */
final class RequestTimers {
  private final Vertx vertx;
  private final Deadlines deadlines = new Deadlines();
  private long timerId = -1;
  private long timerAtMs = Long.MAX_VALUE;

  RequestTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code onExpiry} after {@code timeoutMs} unless the returned entry is cancelled first. */
  Deadlines.Entry schedule(long timeoutMs, Runnable onExpiry) {
    long now = nowMs();
    Deadlines.Entry entry = deadlines.add(now, timeoutMs, onExpiry);
    if (entry.deadlineMs() < timerAtMs) {
      arm(entry.deadlineMs(), now);
    }
    return entry;
  }

  private void arm(long atMs, long nowMs) {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerAtMs = atMs;
    timerId = vertx.setTimer(Math.max(1, atMs - nowMs), id -> fire());
  }

  private void fire() {
    timerId = -1;
    timerAtMs = Long.MAX_VALUE;
    long now = nowMs();
    deadlines.expire(now);
    long next = deadlines.earliestMs(); // an expiry may have scheduled (and armed) a later one meanwhile
    if (next < timerAtMs) {
      arm(next, nowMs());
    }
  }

  /** Pending deadlines (for tests). */
  int pending() {
    return deadlines.size();
  }

  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }
}
