package io.ringkv.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Latencies and error counts of one lane. Not thread-safe on purpose: each lane records only on
 * its own event loop, and the lanes' stats are merged after they have all finished.
 */
final class LatencyStats {

    /** Microsecond values with 3 significant digits; auto-resizing so a huge stall never throws. */
    private static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }

    final Histogram reads = newHistogram();
    final Histogram writes = newHistogram();
    final Map<String, Long> errors = new TreeMap<>();

    void record(boolean read, long latencyNanos) {
        long micros = Math.max(1, latencyNanos / 1_000);
        (read ? reads : writes).recordValue(micros);
    }

    void error(String kind) {
        errors.merge(kind, 1L, Long::sum);
    }

    long ops() {
        return reads.getTotalCount() + writes.getTotalCount();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Folds another lane's numbers into this one; only called once recording has stopped. */
    void add(LatencyStats other) {
        reads.add(other.reads);
        writes.add(other.writes);
        other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    }

    Histogram combined() {
        Histogram all = newHistogram();
        all.add(reads);
        all.add(writes);
        return all;
    }
}
