package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.Crashes;
import io.ringkv.chaos.FinalState;
import io.ringkv.chaos.History;
import io.ringkv.chaos.HistoryChecker;
import io.ringkv.chaos.KeyState;
import io.ringkv.chaos.Operation;
import io.ringkv.cli.ChaosWorkload;
import io.ringkv.testing.HistoryDump;
import io.ringkv.testing.ProcessCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real node processes, N=3 R=2 W=2, under a steady load of reads, blind and context writes
 * and deletes: two nodes killed with kill -9 at once. Once every survivor sees both down, every
 * request succeeds (sloppy quorum), also for keys whose two dead nodes are both home replicas.
 * Restarted, they get their hints (none left anywhere), each of them alone (every other node
 * paused) holds exactly what the cluster holds for every key it is a home replica of, and the
 * history checker finds nothing lost. The history and the node logs are left in target/.
 */
class DoubleKillIT {
  private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
  private static final int RATE = 150;
  private static final List<String> DEAD = List.of("n2", "n4");

  @TempDir
  Path dir;

  private ProcessCluster cluster;
  private final History history = new History();
  private final List<String> keys = ProcessCluster.keys("dk-", 300);
  private Map<String, List<String>> homes;
  private Set<String> bothHome;
  private long killed;
  private long detected;
  private long restarting;
  private long ready;
  private long drained;
  private long pendingAtRestart;
  private Map<String, Map<String, Long>> downAt;
  private Map<String, Map<String, Long>> upAt;

  @Test
  void twoNodesKilledAtOnceCostNothingAfterDetectionAndComeBackWhole() throws Exception {
    try (ProcessCluster started = ProcessCluster.start(dir, 5, Map.of("n", "3", "r", "2", "w", "2"))) {
      cluster = started;
      try {
        homes = cluster.homes(keys);
        bothHome = Set.copyOf(keys.stream().filter(k -> homes.get(k).containsAll(DEAD)).toList());
        assertTrue(bothHome.size() >= 30, "keys whose two dead nodes are both home replicas: " + bothHome.size());
        int startupReports = cluster.blockedWhileServing(); // the cold start of 5 JVMs on 2 cores may starve a loop
        ChaosWorkload load = cluster.load(history, keys, 6, RATE, 15);
        load.start();
        TimeUnit.SECONDS.sleep(5); // steady load before the kill
        killBoth();
        TimeUnit.SECONDS.sleep(10); // load with both down
        restartBoth();
        TimeUnit.SECONDS.sleep(3); // load after the handoff
        load.stop();
        cluster.assertNoBlockedThreadsSince(startupReports);
        checkEveryRequestAfterDetection();
        checkEachRestartedNodeAloneAndTheHistory();
        printMeasurements(history.operations());
      } finally {
        HistoryDump.write(history.operations(), killed, Path.of("target", "DoubleKillIT-history.txt"));
        cluster.copyLogs(Path.of("target", "DoubleKillIT-logs"));
      }
    }
  }

  private void killBoth() throws Exception {
    List<String> survivors = cluster.ids().stream().filter(n -> !DEAD.contains(n)).toList();
    killed = System.nanoTime();
    DEAD.forEach(cluster.router::takeOut);
    cluster.nodes.kill9(DEAD); // one kill command: both at once
    downAt = cluster.awaitStatus(survivors, DEAD, "down", killed, 60_000);
    detected = killed + TimeUnit.MILLISECONDS.toNanos(ProcessCluster.latest(downAt));
  }

  private void restartBoth() throws Exception {
    restarting = System.nanoTime();
    pendingAtRestart = cluster.pendingHints();
    for (String node : DEAD) {
      cluster.nodes.start(node);
    }
    for (String node : DEAD) {
      cluster.nodes.awaitReady(node, 180_000);
    }
    ready = System.nanoTime();
    DEAD.forEach(cluster.router::putBack);
    upAt = cluster.awaitStatus(cluster.ids(), DEAD, "up", ready, 60_000);
    while (cluster.pendingHints() > 0) {
      assertTrue(System.nanoTime() - ready < TimeUnit.MINUTES.toNanos(2), "hints still pending 2 min after restart");
      TimeUnit.MILLISECONDS.sleep(50);
    }
    drained = System.nanoTime();
  }

  private void checkEveryRequestAfterDetection() throws Exception {
    List<Operation> after = during(history.operations(), detected + MARGIN_NANOS, restarting);
    assertEquals(List.of(), after.stream().filter(o -> !o.acknowledged()).toList(),
        "every request sent after every survivor saw both nodes down succeeds");
    long writes = count(after, o -> o.isWrite() && bothHome.contains(o.key()));
    long reads = count(after, o -> !o.isWrite() && bothHome.contains(o.key()));
    assertTrue(writes >= 20 && reads >= 10, "acknowledged on keys whose two dead nodes are homes: " + writes
        + " writes, " + reads + " reads");
    assertEquals(0, cluster.pendingHints(), "no hint left anywhere");
  }

  private void checkEachRestartedNodeAloneAndTheHistory() throws Exception {
    Map<String, Map<String, KeyState>> replicas = new HashMap<>();
    for (String node : DEAD) {
      List<String> homed = keys.stream().filter(k -> homes.get(k).contains(node)).toList();
      cluster.readAlone(node, homed).forEach((key, state) -> replicas.computeIfAbsent(key, k -> new HashMap<>())
          .put(node, state));
    }
    cluster.readback(keys).awaitAllUp(120_000);
    List<Operation> ops = history.operations();
    FinalState end = cluster.finalState(keys, replicas);
    // A write in flight at the kill may have been stored only by a node that died with it: nothing
    // hints it to the other replicas, only anti-entropy will. Such a replica lags; anything else diverges.
    CheckReport report = HistoryChecker.check(ops, end, new Crashes(List.of(killed), TimeUnit.SECONDS.toNanos(4)));
    assertTrue(report.passed(), "history check (times from the kill): " + HistoryDump.explain(report, ops, killed));
    report.lagging().forEach(v -> System.out.println("MEASURE   replica lag (a write in flight at the kill): " + v));
  }

  private void printMeasurements(List<Operation> ops) {
    List<Operation> before = started(ops, killed, detected);
    List<Operation> after = during(ops, detected + MARGIN_NANOS, restarting);
    System.out.printf("MEASURE double kill -9 of %s under %d ops/s (%d operations in all)%n", DEAD, RATE, ops.size());
    System.out.printf("MEASURE   kill -9 to down, per member and survivor (ms): %s%n", downAt);
    System.out.printf("MEASURE   sent before detection (%d ms): %d of %d requests failed (%d without an answer)%n",
        ms(detected - killed), count(before, o -> !o.acknowledged()), before.size(),
        count(before, o -> o.outcome() == Operation.Outcome.UNKNOWN));
    System.out.printf("MEASURE   after detection (%d ms until the restart): 0 of %d requests failed%n",
        ms(restarting - detected), after.size());
    System.out.printf("MEASURE   restart: both ready %d ms after start; seen up (ms after ready): %s%n",
        ms(ready - restarting), upAt);
    long handoffMs = Math.max(1, ms(drained - ready) - ProcessCluster.latest(upAt));
    System.out.printf("MEASURE   hints: %d pending at restart, none left %d ms after ready, %d ms after every node saw"
        + " both up (%.0f hint versions/s)%n", pendingAtRestart, ms(drained - ready), handoffMs,
        pendingAtRestart * 1000.0 / handoffMs);
    Histogram handoff = latencies(started(ops, ready, drained));
    System.out.printf("MEASURE   client latency while hints drained: %d requests, p50 %.1f ms, p99 %.1f ms%n",
        handoff.getTotalCount(), handoff.getValueAtPercentile(50) / 1000.0, handoff.getValueAtPercentile(99) / 1000.0);
    ops.stream().filter(o -> !o.acknowledged() && o.startNanos() >= killed).limit(30).forEach(o -> System.out.printf(
        "MEASURE   failed: sent at %+d ms, answered after %d ms: %s %s via %s%s: %s%n", ms(o.startNanos() - killed),
        ms(o.latencyNanos()), o.kind(), o.key(), o.node(), bothHome.contains(o.key()) ? " (both dead are homes)" : "",
        o.detail()));
    printTimeline(ops, Map.of(killed, "kill -9", detected, "detected", restarting, "restart", ready, "ready",
        drained, "hints drained"));
  }

  /** Per second since the kill: requests sent, failed, and the latency of the acknowledged ones. */
  private void printTimeline(List<Operation> ops, Map<Long, String> marks) {
    Map<Long, List<Operation>> bySecond = new TreeMap<>();
    for (Operation o : ops) {
      bySecond.computeIfAbsent(Math.floorDiv(o.startNanos() - killed, 1_000_000_000L), k -> new ArrayList<>()).add(o);
    }
    bySecond.forEach((second, list) -> {
      Histogram h = latencies(list);
      String events = marks.entrySet().stream()
          .filter(e -> Math.floorDiv(e.getKey() - killed, 1_000_000_000L) == second)
          .map(Map.Entry::getValue).sorted().collect(Collectors.joining(", "));
      System.out.printf("MEASURE   t=%+4ds sent %3d failed %3d p50 %6.1f ms p99 %7.1f ms max %7.1f ms %s%n", second,
          list.size(), count(list, o -> !o.acknowledged()), h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, events);
    });
  }

  /** Operations sent and answered within the window. */
  private static List<Operation> during(List<Operation> ops, long fromNanos, long toNanos) {
    return ops.stream().filter(o -> o.startNanos() >= fromNanos && o.endNanos() <= toNanos).toList();
  }

  /** Operations sent within the window. */
  private static List<Operation> started(List<Operation> ops, long fromNanos, long toNanos) {
    return ops.stream().filter(o -> o.startNanos() >= fromNanos && o.startNanos() < toNanos).toList();
  }

  private static long count(List<Operation> ops, Predicate<Operation> p) {
    return ops.stream().filter(p).count();
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static Histogram latencies(List<Operation> ops) {
    Histogram h = new Histogram(3);
    ops.stream().filter(Operation::acknowledged).forEach(o -> h.recordValue(Math.max(0, o.latencyNanos() / 1_000)));
    return h;
  }
}
