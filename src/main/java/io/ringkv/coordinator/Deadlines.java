package io.ringkv.coordinator;

import java.util.HashMap;
import java.util.Map;

/**
 * The pending request deadlines of one coordinator instance, expired by one sweep instead of a
 * timer per request. Setting and cancelling a Vert.x timer for every read (a concurrent map entry
 * and a task in the event loop's priority queue, almost always cancelled) was about 4% of a node's
 * CPU under a read load. Here adding and cancelling are O(1): requests with the same timeout
 * expire in the order they were added, so each distinct timeout keeps a FIFO lane (a doubly linked
 * list), and a sweep only looks at the head of each lane. Pure; used from one thread.
 */
final class Deadlines {
  /** One pending deadline; {@link #cancel} it once its request has its answer. */
  final class Entry {
    private final long deadlineMs;
    private final Runnable onExpiry;
    private final Lane lane;
    private Entry prev;
    private Entry next;
    private boolean pending = true;

    private Entry(long deadlineMs, Runnable onExpiry, Lane lane) {
      this.deadlineMs = deadlineMs;
      this.onExpiry = onExpiry;
      this.lane = lane;
    }

    /** Forgets the deadline; does nothing once it has expired or been cancelled. */
    void cancel() {
      if (pending) {
        pending = false;
        lane.unlink(this);
        size--;
      }
    }

    long deadlineMs() {
      return deadlineMs;
    }
  }

  private static final class Lane {
    Entry head;
    Entry tail;

    void append(Entry e) {
      e.prev = tail;
      if (tail == null) {
        head = e;
      } else {
        tail.next = e;
      }
      tail = e;
    }

    void unlink(Entry e) {
      if (e.prev == null) {
        head = e.next;
      } else {
        e.prev.next = e.next;
      }
      if (e.next == null) {
        tail = e.prev;
      } else {
        e.next.prev = e.prev;
      }
      e.prev = null;
      e.next = null;
    }
  }

  private static final int MAX_IDLE_LANES = 8;
  private final Map<Long, Lane> lanes = new HashMap<>();
  private int size;

  /** A deadline {@code timeoutMs} after {@code nowMs}; {@code onExpiry} runs in the sweep that passes it. */
  Entry add(long nowMs, long timeoutMs, Runnable onExpiry) {
    Lane lane = lanes.computeIfAbsent(timeoutMs, t -> new Lane());
    Entry e = new Entry(nowMs + timeoutMs, onExpiry, lane);
    lane.append(e);
    size++;
    return e;
  }

  /**
   * Runs {@code onExpiry} of every pending deadline at or before {@code nowMs}, each once, and
   * forgets them. An {@code onExpiry} may add or cancel deadlines. Returns how many expired.
   */
  int expire(long nowMs) {
    int expired = 0;
    for (Lane lane : lanes.values().toArray(new Lane[0])) {
      while (lane.head != null && lane.head.deadlineMs <= nowMs) {
        Entry e = lane.head;
        e.cancel();
        expired++;
        e.onExpiry.run();
      }
    }
    if (lanes.size() > MAX_IDLE_LANES) {
      lanes.values().removeIf(l -> l.head == null); // clients' odd timeouts must not pile up lanes
    }
    return expired;
  }

  /** Pending deadlines. */
  int size() {
    return size;
  }

  /** The earliest pending deadline, or {@code Long.MAX_VALUE} when none is pending. */
  long earliestMs() {
    long earliest = Long.MAX_VALUE;
    for (Lane lane : lanes.values()) {
      if (lane.head != null) {
        earliest = Math.min(earliest, lane.head.deadlineMs);
      }
    }
    return earliest;
  }
}
