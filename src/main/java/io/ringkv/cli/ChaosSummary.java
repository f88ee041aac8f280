package io.ringkv.cli;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.Operation;
import io.ringkv.chaos.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What {@code ringkv chaos} reports: the run's settings, the load (operations, acknowledged,
 * failed), the faults, the hint wait, the checker's counts and its first violations, as text or as
 * one JSON object (field names documented in docs/failure-handling.md).
 */
final class ChaosSummary {
  private static final int VIOLATIONS_SHOWN = 20;

  private final JsonObject json = new JsonObject();
  private CheckReport report;
  private Readback.HintWait hints;
  private RootCheck.Result roots;
  private String error;

  ChaosSummary(long seed, int nodes, int n, int r, int w, int keys, int clients, double rate, Duration duration,
      String faults, Path root) {
    json.put("seed", seed).put("nodes", nodes).put("n", n).put("r", r).put("w", w).put("keys", keys)
        .put("clients", clients).put("rate", rate).put("durationMs", duration.toMillis()).put("faultKinds", faults)
        .put("dataDir", root.toString());
  }

  void load(List<Operation> ops, Histogram latencies, Map<String, Long> statuses, long elapsedMs) {
    long reads = count(ops, o -> o.kind() == Operation.Kind.READ);
    long puts = count(ops, o -> o.kind() == Operation.Kind.PUT);
    long deletes = count(ops, o -> o.kind() == Operation.Kind.DELETE);
    long acknowledged = count(ops, o -> o.isWrite() && o.acknowledged());
    long readsFailed = count(ops, o -> !o.isWrite() && !o.acknowledged());
    long writesFailed = count(ops, o -> o.isWrite() && !o.acknowledged());
    json.put("loadMs", elapsedMs)
        .put("operations", ops.size()).put("reads", reads).put("writes", puts).put("deletes", deletes)
        .put("acknowledged", acknowledged).put("failed", readsFailed + writesFailed)
        .put("readsFailed", readsFailed).put("writesFailed", writesFailed)
        .put("unknown", count(ops, o -> o.outcome() == Operation.Outcome.UNKNOWN))
        .put("latencyMs", new JsonObject()
            .put("p50", ms(latencies.getValueAtPercentile(50)))
            .put("p99", ms(latencies.getValueAtPercentile(99)))
            .put("p999", ms(latencies.getValueAtPercentile(99.9)))
            .put("max", ms(latencies.getMaxValue())))
        .put("statuses", new JsonObject(Map.copyOf(statuses)));
  }

  void faults(Map<String, Integer> injected, List<FaultDriver.Played> played) {
    JsonArray episodes = new JsonArray();
    played.forEach(p -> episodes.add(new JsonObject().put("number", p.number()).put("faults", p.faults())
        .put("beganMs", p.beganMs()).put("healedMs", p.healedMs())));
    json.put("faultsInjected", injected.values().stream().mapToInt(Integer::intValue).sum())
        .put("faults", new JsonObject(Map.copyOf(injected)))
        .put("episodes", episodes);
  }

  void hints(Readback.HintWait wait) {
    this.hints = wait;
    JsonObject left = new JsonObject();
    wait.left().forEach((node, byTarget) -> left.put(node, new JsonObject(Map.copyOf(byTarget))));
    json.put("hints", new JsonObject().put("drained", wait.drained()).put("waitedMs", wait.waitedMs())
        .put("pendingAtHeal", wait.pendingAtStart()).put("delivered", wait.delivered()).put("left", left));
  }

  void antiEntropy(boolean ran) {
    json.put("antiEntropyRun", ran);
  }

  void roots(RootCheck.Result result) {
    this.roots = result;
    JsonArray shown = new JsonArray();
    result.divergent().stream().limit(VIOLATIONS_SHOWN).forEach(d -> shown.add(new JsonObject()
        .put("partition", d.partition()).put("roots", new JsonObject(new LinkedHashMap<String, Object>(d.roots())))));
    json.put("roots", new JsonObject().put("partitions", result.partitions())
        .put("divergent", result.divergent().size()).put("examples", shown));
  }

  void report(CheckReport report) {
    this.report = report;
    JsonArray shown = new JsonArray();
    report.violations().stream().limit(VIOLATIONS_SHOWN).forEach(v -> shown.add(new JsonObject()
        .put("type", v.type().name().toLowerCase()).put("key", v.key()).put("value", v.value()).put("node", v.node())
        .put("detail", v.detail())));
    JsonArray lagging = new JsonArray();
    report.lagging().stream().limit(VIOLATIONS_SHOWN).forEach(v -> lagging.add(new JsonObject().put("key", v.key())
        .put("node", v.node()).put("detail", v.detail())));
    json.put("lost", report.lost()).put("phantom", report.phantom()).put("resurrected", report.resurrected())
        .put("divergent", report.divergentKeys()).put("unreadable", report.unreadable())
        .put("violations", shown).put("violationCount", report.violations().size())
        .put("replicaLag", report.lagging().size()).put("lagging", lagging);
  }

  void blockedThreadReports(int count) {
    json.put("blockedThreadReports", count);
  }

  void error(String message) {
    this.error = message;
    json.put("error", message);
  }

  void dataDeleted() {
    json.putNull("dataDir");
  }

  /** Passed: the run completed, the hints drained and the checker found nothing. */
  boolean passed() {
    boolean passed = error == null && report != null && report.passed() && hints != null && hints.drained()
        && (roots == null || roots.divergent().isEmpty());
    json.put("passed", passed);
    return passed;
  }

  JsonObject toJson() {
    passed();
    return json;
  }

  String toText() {
    StringBuilder out = new StringBuilder();
    out.append("ringkv chaos: ").append(passed() ? "PASSED" : "FAILED")
        .append(String.format(" (seed %d, %d nodes, N=%d R=%d W=%d, %d keys, %d s of load)%n", json.getLong("seed"),
            json.getInteger("nodes"), json.getInteger("n"), json.getInteger("r"), json.getInteger("w"),
            json.getInteger("keys"), json.getLong("loadMs", 0L) / 1000));
    if (json.containsKey("operations")) {
      out.append(String.format("  operations    %d (reads %d, writes %d, deletes %d)%n", json.getLong("operations"),
          json.getLong("reads"), json.getLong("writes"), json.getLong("deletes")));
      out.append(String.format("  acknowledged  %d writes and deletes; failed %d operations (%d reads, %d writes;"
          + " %d without an answer)%n", json.getLong("acknowledged"), json.getLong("failed"),
          json.getLong("readsFailed"), json.getLong("writesFailed"), json.getLong("unknown")));
      JsonObject lat = json.getJsonObject("latencyMs");
      out.append(String.format("  latency       p50 %.1f ms, p99 %.1f ms, max %.1f ms (acknowledged operations)%n",
          lat.getDouble("p50"), lat.getDouble("p99"), lat.getDouble("max")));
    }
    if (json.containsKey("faults")) {
      out.append("  faults        ").append(json.getInteger("faultsInjected")).append(" injected: ")
          .append(json.getJsonObject("faults").getMap().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
              .collect(Collectors.joining(", ")))
          .append(" (").append(json.getJsonArray("episodes").size()).append(" episodes)\n");
    }
    if (hints != null) {
      out.append("  hints         ").append(hints.drained() ? "drained in " + hints.waitedMs() + " ms"
          : "NOT drained after " + hints.waitedMs() + " ms: " + hints.left())
          .append(" (").append(hints.pendingAtStart()).append(" pending at heal)\n");
    }
    if (roots != null) {
      out.append(String.format("  merkle roots  %d of %d partitions differ between their homes after one pass%n",
          roots.divergent().size(), roots.partitions()));
      roots.divergent().stream().limit(VIOLATIONS_SHOWN).forEach(d -> out.append("    partition ")
          .append(d.partition()).append(' ').append(d.roots()).append('\n'));
    }
    if (report != null) {
      out.append(String.format("  checked       lost %d, phantom %d, resurrected %d, divergent keys %d, unreadable %d%n",
          report.lost(), report.phantom(), report.resurrected(), report.divergentKeys(), report.unreadable()));
      for (Violation v : report.violations().subList(0, Math.min(VIOLATIONS_SHOWN, report.violations().size()))) {
        out.append("    ").append(v).append('\n');
      }
      if (!report.lagging().isEmpty()) {
        out.append("  replica lag   ").append(report.lagging().size()).append(" replica(s) lack only writes in flight"
            + " when a node was killed (no hint exists for those; anti-entropy repairs them), e.g.\n    ")
            .append(report.lagging().get(0)).append('\n');
      }
    }
    if (error != null) {
      out.append("  error         ").append(error).append('\n');
    }
    if (json.getString("dataDir") != null) {
      out.append("  data and logs ").append(json.getString("dataDir")).append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static long count(List<Operation> ops, java.util.function.Predicate<Operation> p) {
    return ops.stream().filter(p).count();
  }

  private static double ms(long micros) {
    return Math.round(micros / 100.0) / 10.0;
  }
}
