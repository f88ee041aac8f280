package io.ringkv.storage;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds on the number of siblings of one key, as Riak's {@code warn_siblings} and
 * {@code max_siblings}: blind concurrent writes are all kept (by design), so without a bound every
 * read of a hot key grows with them. A coordinated write that would leave more than {@code max}
 * versions is refused and nothing is written; one that leaves more than {@code warnAbove} is
 * accepted, and a warning for the key is due at most once per {@link #WARN_INTERVAL_MS}.
 *
 * <p>Pure: time is an input. Which keys were warned about is remembered for at most
 * {@code trackedKeys} keys (the oldest warnings are forgotten first, and any older than the
 * interval), so memory stays bounded whatever the key space; a forgotten key may be warned about
 * again within its minute. Not thread-safe: the store calls it on its one writer thread. The
 * counters may be read from any thread.
 */
public final class SiblingLimits {
  public static final long WARN_INTERVAL_MS = 60_000;
  public static final int DEFAULT_TRACKED_KEYS = 10_000;

  /** What to do with a write that leaves a key with a given number of versions. */
  public enum Admission {
    ACCEPT,
    /** Accept, and log a warning about the key now. */
    ACCEPT_AND_WARN,
    /** Refuse: store nothing. */
    REFUSE
  }

  private final int warnAbove;
  private final int max;
  private final int trackedKeys;
  /** Key to the time of its last warning, oldest warning first. */
  private final LinkedHashMap<ByteKey, Long> lastWarned = new LinkedHashMap<>();
  private final AtomicLong warnings = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();

  public SiblingLimits(int warnAbove, int max) {
    this(warnAbove, max, DEFAULT_TRACKED_KEYS);
  }

  public SiblingLimits(int warnAbove, int max, int trackedKeys) {
    if (warnAbove < 1 || max < warnAbove || trackedKeys < 1) {
      throw new IllegalArgumentException("need 1 <= warnAbove <= max and trackedKeys >= 1, got "
          + warnAbove + ", " + max + ", " + trackedKeys);
    }
    this.warnAbove = warnAbove;
    this.max = max;
    this.trackedKeys = trackedKeys;
  }

  public int max() {
    return max;
  }

  public int warnAbove() {
    return warnAbove;
  }

  /** The rule alone, without memory: what a write that leaves {@code siblings} versions deserves. */
  public Admission rule(int siblings) {
    if (siblings > max) {
      return Admission.REFUSE;
    }
    return siblings > warnAbove ? Admission.ACCEPT_AND_WARN : Admission.ACCEPT;
  }

  /**
   * {@link #rule} for a write of {@code key} at {@code nowMs}, with a warning only when none was
   * due for this key within the last {@link #WARN_INTERVAL_MS}; counts warnings and refusals.
   */
  Admission admit(ByteKey key, int siblings, long nowMs) {
    Admission admission = rule(siblings);
    if (admission == Admission.REFUSE) {
      refusals.incrementAndGet();
    } else if (admission == Admission.ACCEPT_AND_WARN) {
      if (!warningDue(key, nowMs)) {
        return Admission.ACCEPT;
      }
      warnings.incrementAndGet();
    }
    return admission;
  }

  private boolean warningDue(ByteKey key, long nowMs) {
    forgetOlderThan(nowMs - WARN_INTERVAL_MS);
    Long last = lastWarned.get(key);
    if (last != null && nowMs - last < WARN_INTERVAL_MS) {
      return false;
    }
    lastWarned.remove(key); // re-inserted last: the map stays ordered by warning time
    lastWarned.put(key, nowMs);
    if (lastWarned.size() > trackedKeys) {
      Iterator<ByteKey> oldest = lastWarned.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  private void forgetOlderThan(long cutoffMs) {
    Iterator<Map.Entry<ByteKey, Long>> it = lastWarned.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= cutoffMs) {
      it.remove();
    }
  }

  /** Warnings due so far (at most one per key per interval). */
  public long warnings() {
    return warnings.get();
  }

  /** Writes refused so far. */
  public long refusals() {
    return refusals.get();
  }

  /** Keys whose last warning is remembered (for tests of the memory bound). */
  int trackedKeys() {
    return lastWarned.size();
  }
}
