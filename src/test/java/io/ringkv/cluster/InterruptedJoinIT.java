package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.Crashes;
import io.ringkv.chaos.FinalState;
import io.ringkv.chaos.History;
import io.ringkv.chaos.HistoryChecker;
import io.ringkv.chaos.Operation;
import io.ringkv.cli.ChaosWorkload;
import io.ringkv.cli.Readback;
import io.ringkv.testing.AckedReadLoad;
import io.ringkv.testing.HistoryDump;
import io.ringkv.testing.ProcessCluster;
import io.ringkv.testing.RingViews;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joins interrupted by kill -9, on real node processes (N=3 R=2 W=2) under a steady load, with
 * copying slowed down (192 KiB/s) so the kill lands mid-way. First the joining node n4 is killed
 * while it copies: the owners do not move while it is gone, and once restarted on its data dir it
 * resumes and the join ends. Then a node that n5 copies from is killed: n5 goes on from the other
 * replicas and its join ends without the dead node; the dead node, restarted, learns the new ring.
 * Throughout, every R=2 read of a key written once returns its value and the history checker
 * finds nothing lost; at the end all five hold one ring and every acknowledged value.
 */
class InterruptedJoinIT {
  private static final long SETTLE_MS = 150_000;

  @TempDir
  Path dir;

  private ProcessCluster cluster;
  private RingViews rings;
  private final History history = new History();
  private final List<String> keys = ProcessCluster.keys("ij-", 200);
  private final List<Long> kills = new ArrayList<>();

  @Test
  void aJoinSurvivesTheKillOfTheJoinerAndOfASource() throws Exception {
    try (ProcessCluster started = ProcessCluster.start(dir, 5, 3, Map.of("n", "3", "r", "2", "w", "2",
        "suspect-after-ms", "1000", "down-after-ms", "3000", "transfer-bytes-per-second", "196608"))) {
      cluster = started;
      rings = new RingViews(cluster.admin);
      try {
        run();
      } finally {
        long zero = kills.isEmpty() ? 0 : kills.get(0);
        HistoryDump.write(history.operations(), zero, Path.of("target", "InterruptedJoinIT-history.txt"));
        cluster.copyLogs(Path.of("target", "InterruptedJoinIT-logs"));
      }
    }
  }

  private void run() throws Exception {
    AckedReadLoad acked = new AckedReadLoad(cluster.http, cluster.router, "once-");
    acked.preload(1_500, 6, 1024);
    int startupReports = cluster.blockedWhileServing();
    ChaosWorkload load = cluster.load(history, keys, 4, 30, 23);
    load.start();
    acked.start(2, 10);
    JsonObject three = rings.awaitSettled(List.of("n1", "n2", "n3"), Map.of(), SETTLE_MS);
    JsonObject four = joinerKilledMidWay(three);
    sourceKilledMidWay(four);
    load.stop();
    acked.stop();
    System.out.println("MEASURE acked-read load: " + acked.summary() + "; chaos load: " + load.statuses());
    assertEquals(List.of(), acked.staleReads(), "every R=2 read returns the acknowledged value");
    for (String node : cluster.ids()) {
      assertEquals(List.of(), acked.unreadableVia(cluster.nodes.httpPort(node)),
          "every acknowledged value is readable with R=2 through " + node);
    }
    checkHistory();
    cluster.assertNoBlockedThreadsSince(startupReports);
  }

  private JsonObject joinerKilledMidWay(JsonObject three) throws Exception {
    // Not awaitReady: a joining node is ready only once its join has finished.
    cluster.nodes.start("n4");
    JsonObject midway = rings.awaitCopyUnderWay("n1", 180_000);
    kill("n4");
    List<String> old = List.of("n1", "n2", "n3");
    cluster.awaitStatus(old, List.of("n4"), "down", kills.get(kills.size() - 1), 60_000);
    JsonObject meanwhile = rings.ring("n1");
    System.out.println("MEASURE n4 killed mid-way through its copies: " + progress(midway));
    assertEquals(RingViews.owners(three), RingViews.owners(meanwhile), "no partition moves to a joiner that is gone");
    assertEquals("joining", rings.memberships("n1").get("n4"));
    long restart = System.nanoTime();
    cluster.nodes.start("n4");
    cluster.nodes.awaitReady("n4", 180_000);
    cluster.router.putBack("n4");
    JsonObject four = rings.awaitSettled(List.of("n1", "n2", "n3", "n4"), members("n1", "n2", "n3", "n4"),
        SETTLE_MS);
    System.out.printf("MEASURE n4 restarted: the join ended %d ms after the restart; owners %s%n",
        ms(System.nanoTime() - restart), RingViews.counts(four));
    assertEquals(Map.of("n4", 64), RingViews.moved(three, four), "Q/(S+1) partitions moved, all to n4");
    return four;
  }

  private void sourceKilledMidWay(JsonObject four) throws Exception {
    cluster.nodes.start("n5");
    JsonObject midway = rings.awaitCopyUnderWay("n1", 180_000);
    String source = midway.getJsonArray("moving").stream().map(m -> (JsonObject) m)
        .filter(m -> !m.getBoolean("done") && !"n1".equals(m.getString("from")))
        .map(m -> m.getString("from")).findFirst().orElse(null);
    assertNotNull(source, "a copy from a node other than n1 is under way: " + progress(midway));
    System.out.println("MEASURE killing " + source + ", a source of n5's copies, mid-way: " + progress(midway));
    kill(source);
    List<String> survivors = new ArrayList<>(cluster.ids());
    survivors.remove(source);
    long killedAt = kills.get(kills.size() - 1);
    JsonObject five = rings.awaitSettled(survivors, members("n5"), SETTLE_MS);
    cluster.nodes.awaitReady("n5", 60_000);
    cluster.router.putBack("n5");
    System.out.printf("MEASURE the join of n5 ended %d ms after the kill of %s; owners %s%n",
        ms(System.nanoTime() - killedAt), source, RingViews.counts(five));
    Map<String, Integer> moved = RingViews.moved(four, five);
    assertEquals(List.of("n5"), List.copyOf(moved.keySet()), "partitions move only to the joiner: " + moved);
    assertTrue(moved.get("n5") >= 51 && moved.get("n5") <= 52, "Q/(S+1) partitions moved: " + moved);
    cluster.nodes.start(source);
    cluster.nodes.awaitReady(source, 180_000);
    cluster.router.putBack(source);
    JsonObject all = rings.awaitSettled(cluster.ids(), members("n1", "n2", "n3", "n4", "n5"), SETTLE_MS);
    assertEquals(RingViews.owners(five), RingViews.owners(all), "the restarted node holds the same ring");
  }

  private void kill(String node) throws InterruptedException {
    cluster.router.takeOut(node);
    kills.add(System.nanoTime());
    cluster.nodes.kill9(node);
  }

  private void checkHistory() throws Exception {
    Readback readback = cluster.readback(cluster.ids(), keys);
    Readback.HintWait hints = readback.awaitHints(60_000);
    System.out.println("MEASURE hints at the end: " + hints);
    assertTrue(hints.drained(), "every hint is delivered: " + hints);
    Map<String, String> errors = new TreeMap<>();
    var replicas = readback.replicaStates(readback.homes(), errors);
    FinalState end = readback.finalState(replicas, errors);
    List<Operation> ops = history.operations();
    CheckReport report = HistoryChecker.check(ops, end, new Crashes(kills, TimeUnit.SECONDS.toNanos(4)));
    long zero = kills.get(0);
    assertTrue(report.passed(), "history check (times from the first kill): " + HistoryDump.explain(report, ops, zero));
    report.lagging().forEach(v -> System.out.println("MEASURE   replica lag (a write in flight at a kill): " + v));
    System.out.println("MEASURE history: " + ops.size() + " operations checked");
  }

  private static Map<String, String> members(String... ids) {
    Map<String, String> out = new TreeMap<>();
    for (String id : ids) {
      out.put(id, "member");
    }
    return out;
  }

  private static String progress(JsonObject ring) {
    long done = ring.getJsonArray("moving").stream().filter(m -> ((JsonObject) m).getBoolean("done")).count();
    return done + " of " + ring.getJsonArray("moving").size() + " copies done";
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
