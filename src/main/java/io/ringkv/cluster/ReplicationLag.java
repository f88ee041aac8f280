package io.ringkv.cluster;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cross-DC replication lag as this node sees it, by remote DC: the recent samples (how long after
 * the local store a write was stored in that DC) and the writes shipped but not yet confirmed.
 * Thread-safe: coordinators on several event loops record, the cluster view reads.
 */
public final class ReplicationLag {
  /** Samples kept per DC: percentiles cover the most recent writes. */
  static final int WINDOW = 4096;

  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

  /** p50/p99 of the recent samples (ms; 0 without samples) and the pending count. */
  public record Summary(long p50, long p99, long pending, long samples) {}

  public void record(String dc, long lagMs) {
    windows.computeIfAbsent(dc, d -> new Window()).add(Math.max(0, lagMs));
  }

  /** Adds {@code delta} (negative when confirmed or handed to hints) to the writes in flight to {@code dc}. */
  public void pending(String dc, long delta) {
    pending.computeIfAbsent(dc, d -> new AtomicLong()).addAndGet(delta);
  }

  public long pending(String dc) {
    AtomicLong p = pending.get(dc);
    return p == null ? 0 : p.get();
  }

  /** Every DC that had a sample or a pending write, by name. */
  public Map<String, Summary> summaries() {
    Map<String, Summary> out = new TreeMap<>();
    for (String dc : windows.keySet()) {
      out.put(dc, summary(dc));
    }
    for (String dc : pending.keySet()) {
      out.computeIfAbsent(dc, this::summary);
    }
    return out;
  }

  public Summary summary(String dc) {
    Window w = windows.get(dc);
    long[] sorted = w == null ? new long[0] : w.sorted();
    return new Summary(percentile(sorted, 0.50), percentile(sorted, 0.99), pending(dc), sorted.length);
  }

  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static final class Window {
    private final long[] samples = new long[WINDOW];
    private int next;
    private int size;

    synchronized void add(long v) {
      samples[next] = v;
      next = (next + 1) % WINDOW;
      size = Math.min(WINDOW, size + 1);
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(samples, size);
      Arrays.sort(copy);
      return copy;
    }
  }
}
