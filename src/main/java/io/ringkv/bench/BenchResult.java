package io.ringkv.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Outcome of one measured run. {@code ops} counts every completed request, errors included (they
 * are timed too); {@code throughput} is ops per second of measured wall time.
 */
public record BenchResult(
        String target,
        List<String> urls,
        String mode,
        double rate,
        long durationMs,
        int connections,
        int valueBytes,
        int keys,
        double readRatio,
        long seed,
        long ops,
        Map<String, Long> errors,
        long prefillErrors,
        double throughput,
        Latency all,
        Latency read,
        Latency write) {

    public BenchResult {
        urls = List.copyOf(urls);
        errors = Map.copyOf(new TreeMap<>(errors));
    }

    /** Latency summary in milliseconds. */
    public record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {

        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                    h.getMean() / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }

        JsonObject toJson() {
            return new JsonObject().put("count", count).put("p50", round(p50)).put("p90", round(p90))
                    .put("p99", round(p99)).put("p999", round(p999)).put("max", round(max))
                    .put("mean", round(mean));
        }
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public JsonObject toJson() {
        JsonObject errs = new JsonObject();
        new TreeMap<>(errors).forEach(errs::put);
        return new JsonObject()
                .put("target", target)
                .put("urls", new JsonArray(urls))
                .put("mode", mode)
                .put("rate", rate)
                .put("durationMs", durationMs)
                .put("connections", connections)
                .put("valueBytes", valueBytes)
                .put("keys", keys)
                .put("readRatio", readRatio)
                .put("seed", seed)
                .put("ops", ops)
                .put("errorCount", errorCount())
                .put("errors", errs)
                .put("prefillErrors", prefillErrors)
                .put("throughput", round(throughput))
                .put("latencyUnit", "ms")
                .put("all", all.toJson())
                .put("read", read.toJson())
                .put("write", write.toJson());
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "ringkv bench: target=%s mode=%s%s connections=%d urls=%s%n",
                target, mode, "open".equals(mode) ? String.format(Locale.ROOT, " rate=%.0f/s", rate) : "",
                connections, String.join(",", urls)));
        sb.append(String.format(Locale.ROOT, "  keys=%d value-bytes=%d read-ratio=%.2f seed=%d%n",
                keys, valueBytes, readRatio, seed));
        sb.append(String.format(Locale.ROOT, "  duration %.2f s, %d ops, %.1f ops/s, %d errors%s%n",
                durationMs / 1000.0, ops, throughput, errorCount(), errors.isEmpty() ? "" : " " + errors));
        if (prefillErrors > 0) {
            sb.append(String.format(Locale.ROOT, "  WARNING: %d prefill writes failed%n", prefillErrors));
        }
        sb.append(String.format(Locale.ROOT, "  %-6s %9s %9s %9s %9s %9s %9s %9s%n",
                "op", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms"));
        row(sb, "all", all);
        row(sb, "read", read);
        row(sb, "write", write);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Latency l) {
        sb.append(String.format(Locale.ROOT, "  %-6s %9d %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f%n",
                name, l.count, l.p50, l.p90, l.p99, l.p999, l.max, l.mean));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
