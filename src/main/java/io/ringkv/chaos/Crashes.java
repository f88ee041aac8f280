package io.ringkv.chaos;

import java.util.List;

/**
 * When nodes were killed during a run (on the clients' clock), for the replica rule. A write that
 * was in flight when a node died may have been coordinated by it: it may have stored the write and
 * died before sending it to the other replicas or keeping a hint for them. Only anti-entropy (or a
 * later read repair) brings those replicas the write; hinted handoff cannot, since nothing
 * remembers that they missed it. So, until the nodes run anti-entropy, a home replica that lacks
 * only such writes is reported as lagging, not divergent.
 *
 * @param atNanos when each kill happened
 * @param windowNanos how long before a kill a write counts as in flight (the request timeout, plus margin)
 */
public record Crashes(List<Long> atNanos, long windowNanos) {
  /** No crash excuses anything: every replica must hold exactly what the cluster holds. */
  public static final Crashes NONE = new Crashes(List.of(), 0);
  /** Writes sent this long after a kill still count as in flight (the signal and the client's clock). */
  static final long AFTER_NANOS = 200_000_000L;

  public Crashes {
    atNanos = List.copyOf(atNanos);
  }

  /** Whether the write was in flight when some node was killed. */
  public boolean inFlightAtACrash(Operation write) {
    for (long at : atNanos) {
      if (write.startNanos() >= at - windowNanos && write.startNanos() <= at + AFTER_NANOS) {
        return true;
      }
    }
    return false;
  }
}
