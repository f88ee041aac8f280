package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.Crashes;
import io.ringkv.chaos.FinalState;
import io.ringkv.chaos.History;
import io.ringkv.chaos.HistoryChecker;
import io.ringkv.cli.ChaosHttp;
import io.ringkv.cli.ChaosWorkload;
import io.ringkv.cli.Readback;
import io.ringkv.testing.AckedReadLoad;
import io.ringkv.testing.HistoryDump;
import io.ringkv.testing.ProcessCluster;
import io.ringkv.testing.RingViews;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node processes, N=3 R=2 W=2, under a steady load of reads and writes: three nodes grow to
 * five (n4 joins, then n5), then n2 leaves and n3, killed with kill -9, is removed. Each join moves
 * only about Q/(S+1) partitions, all to the joiner. Throughout, every R=2 read of a key written
 * once returns its acknowledged value, and the chaos history checker finds nothing lost; at the
 * end every remaining node holds the same ring version and owner array, each owning at most
 * ceil(Q/S) partitions, and every acknowledged value is readable through each of them.
 */
class MembershipChangesIT {
  private static final long SETTLE_MS = 120_000;

  @TempDir
  Path dir;

  private ProcessCluster cluster;
  private RingViews rings;
  private final History history = new History();
  private final List<String> keys = ProcessCluster.keys("mc-", 200);
  private long killed;

  @Test
  void growsToFiveThenShrinksToThreeWithoutLosingAnAcknowledgedWrite() throws Exception {
    try (ProcessCluster started = ProcessCluster.start(dir, 5, 3, Map.of("n", "3", "r", "2", "w", "2",
        "suspect-after-ms", "1000", "down-after-ms", "3000"))) {
      cluster = started;
      rings = new RingViews(cluster.admin);
      try {
        run();
      } finally {
        HistoryDump.write(history.operations(), killed, Path.of("target", "MembershipChangesIT-history.txt"));
        cluster.copyLogs(Path.of("target", "MembershipChangesIT-logs"));
      }
    }
  }

  private void run() throws Exception {
    AckedReadLoad acked = new AckedReadLoad(cluster.http, cluster.router, "once-");
    acked.preload(1_500, 6, 512);
    int startupReports = cluster.blockedWhileServing();
    ChaosWorkload load = cluster.load(history, keys, 4, 40, 17);
    load.start();
    acked.start(2, 15);
    JsonObject three = rings.awaitSettled(List.of("n1", "n2", "n3"), Map.of(), SETTLE_MS);
    JsonObject four = join("n4", List.of("n1", "n2", "n3"), three);
    JsonObject five = join("n5", List.of("n1", "n2", "n3", "n4"), four);
    leave("n2", five);
    removeKilled("n3");
    load.stop();
    acked.stop();
    System.out.println("MEASURE acked-read load: " + acked.summary() + "; chaos load: " + load.statuses());
    assertEquals(List.of(), acked.staleReads(), "every R=2 read returns the acknowledged value");
    List<String> remaining = List.of("n1", "n4", "n5");
    JsonObject end = rings.awaitSettled(remaining, Map.of("n1", "member", "n2", "left", "n3", "left",
        "n4", "member", "n5", "member"), SETTLE_MS);
    int q = end.getInteger("partitions");
    Map<String, Integer> counts = RingViews.counts(end);
    assertEquals(List.copyOf(remaining), List.copyOf(counts.keySet()), "only n1, n4, n5 own partitions: " + counts);
    counts.forEach((node, owned) -> assertTrue(owned <= (q + 2) / 3, node + " owns " + owned + " of " + q));
    for (String node : remaining) {
      assertEquals(List.of(), acked.unreadableVia(cluster.nodes.httpPort(node)),
          "every acknowledged value is readable with R=2 through " + node);
    }
    checkHistory(remaining);
    cluster.assertNoBlockedThreadsSince(startupReports);
  }

  /** Starts {@code node} and waits for its join to end; checks what moved. */
  private JsonObject join(String node, List<String> before, JsonObject ringBefore) throws Exception {
    long start = System.nanoTime();
    cluster.nodes.start(node);
    cluster.nodes.awaitReady(node, 180_000);
    long ready = System.nanoTime();
    cluster.router.putBack(node);
    List<String> all = new java.util.ArrayList<>(before);
    all.add(node);
    Map<String, String> expected = new TreeMap<>();
    all.forEach(n -> expected.put(n, "member"));
    JsonObject after = rings.awaitSettled(all, expected, SETTLE_MS);
    int q = after.getInteger("partitions");
    int members = RingViews.counts(ringBefore).size();
    Map<String, Integer> moved = RingViews.moved(ringBefore, after);
    System.out.printf("MEASURE join of %s: ready %d ms after start, ring settled %d ms after ready; moved %s;"
        + " version %d -> %d; owners %s%n", node, ms(ready - start), ms(System.nanoTime() - ready), moved,
        ringBefore.getInteger("version"), after.getInteger("version"), RingViews.counts(after));
    assertEquals(List.of(node), List.copyOf(moved.keySet()), "partitions move only to the joiner: " + moved);
    int share = moved.get(node);
    assertTrue(share >= q / (members + 1) && share <= (q + members) / (members + 1),
        "about Q/(S+1) partitions move: " + share);
    RingViews.counts(after).forEach((n, owned) -> assertTrue(owned <= (q + members) / (members + 1),
        n + " owns " + owned));
    return after;
  }

  private void leave(String node, JsonObject ringBefore) throws Exception {
    long start = System.nanoTime();
    ChaosHttp.Reply r = cluster.admin.post("n1", "/cluster/members/" + node + "/leave");
    assertEquals(202, r.status(), "leave: " + r.text());
    JsonObject after = rings.awaitSettled(List.of("n1", "n2", "n3", "n4", "n5"), Map.of(node, "left"), SETTLE_MS);
    System.out.printf("MEASURE leave of %s: settled after %d ms; owners %s%n", node, ms(System.nanoTime() - start),
        RingViews.counts(after));
    Map<String, Integer> moved = RingViews.moved(ringBefore, after);
    assertEquals(RingViews.counts(ringBefore).get(node), moved.values().stream().mapToInt(Integer::intValue).sum(),
        "only the leaver's partitions move: " + moved);
    cluster.router.takeOut(node);
    cluster.nodes.kill9(node); // left: it may be stopped
  }

  private void removeKilled(String node) throws Exception {
    List<String> survivors = List.of("n1", "n4", "n5");
    cluster.router.takeOut(node);
    killed = System.nanoTime();
    cluster.nodes.kill9(node);
    cluster.awaitStatus(survivors, List.of(node), "down", killed, 60_000);
    long start = System.nanoTime();
    ChaosHttp.Reply r = cluster.admin.post("n4", "/cluster/members/" + node + "/remove");
    assertEquals(202, r.status(), "remove: " + r.text());
    JsonObject after = rings.awaitSettled(survivors, Map.of(node, "left"), SETTLE_MS);
    System.out.printf("MEASURE remove of %s: settled after %d ms; owners %s%n", node, ms(System.nanoTime() - start),
        RingViews.counts(after));
  }

  private void checkHistory(List<String> remaining) throws Exception {
    Readback readback = cluster.readback(remaining, keys);
    Readback.HintWait hints = readback.awaitHints(60_000);
    System.out.println("MEASURE hints after the changes: " + hints);
    assertTrue(hints.drained(), "every hint is delivered, those for the nodes that left to their partitions' homes: "
        + hints);
    Map<String, String> errors = new TreeMap<>();
    var replicas = readback.replicaStates(readback.homes(), errors);
    FinalState end = readback.finalState(replicas, errors);
    List<io.ringkv.chaos.Operation> ops = history.operations();
    CheckReport report = HistoryChecker.check(ops, end, new Crashes(List.of(killed), TimeUnit.SECONDS.toNanos(4)));
    assertTrue(report.passed(), "history check: " + HistoryDump.explain(report, ops, killed));
    System.out.println("MEASURE history: " + ops.size() + " operations checked");
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
