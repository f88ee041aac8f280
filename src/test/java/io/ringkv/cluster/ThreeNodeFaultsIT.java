package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.History;
import io.ringkv.chaos.HistoryChecker;
import io.ringkv.chaos.KeyState;
import io.ringkv.chaos.Operation;
import io.ringkv.chaos.Operation.Kind;
import io.ringkv.chaos.Operation.Outcome;
import io.ringkv.cli.ChaosWorkload;
import io.ringkv.cli.Readback;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.ProcessCluster;
import io.ringkv.testing.SiblingDocs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node processes (N=3, R=2, W=2, the default failure detector): a node paused with
 * SIGSTOP for 10 s under load, then a partition {n1} | {n2, n3} with W=1 writes on both sides.
 * One cluster for both (they run in order, each leaving it healed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeFaultsIT {
  @TempDir
  static Path dir;
  private static ProcessCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ProcessCluster.start(dir, 3, Map.of("n", "3", "r", "2", "w", "2"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aNodePausedForTenSecondsIsDownWritesGoOnAndItIsUpSoonAfterSigcont() throws Exception {
    List<String> keys = ProcessCluster.keys("pause-", 100);
    History history = new History();
    ChaosWorkload load = cluster.load(history, keys, 4, 100, 21);
    load.start();
    TimeUnit.SECONDS.sleep(3);

    String paused = "n3";
    List<String> others = List.of("n1", "n2");
    long stopped = System.nanoTime();
    cluster.router.takeOut(paused);
    cluster.nodes.pause(paused);
    Map<String, Map<String, Long>> downAt = cluster.awaitStatus(others, List.of(paused), "down", stopped, 30_000);
    TimeUnit.NANOSECONDS.sleep(Math.max(0, stopped + TimeUnit.SECONDS.toNanos(10) - System.nanoTime()));
    long continued = System.nanoTime();
    cluster.nodes.resume(paused);
    cluster.router.putBack(paused);
    Map<String, Map<String, Long>> upAt = cluster.awaitStatus(others, List.of(paused), "up", continued, 30_000);
    Map<String, Map<String, Long>> othersUpAt = cluster.awaitStatus(List.of(paused), others, "up", continued, 30_000);
    TimeUnit.SECONDS.sleep(3);
    load.stop();

    List<Operation> ops = history.operations();
    List<Operation> duringPause = ops.stream().filter(o -> !o.node().equals(paused)
        && o.startNanos() >= stopped && o.endNanos() <= continued).toList();
    long writes = duringPause.stream().filter(Operation::isWrite).count();
    assertTrue(writes >= 200, "writes sent during the pause: " + writes);
    assertEquals(List.of(), duringPause.stream().filter(o -> !o.acknowledged()).toList(),
        "every request to the two live nodes succeeds while " + paused + " is paused");
    assertTrue(ProcessCluster.latest(upAt) <= 3_000, paused + " up again within 3 s of SIGCONT: " + upAt);

    Readback readback = cluster.readback(keys);
    Readback.HintWait hints = readback.awaitHints(120_000);
    assertTrue(hints.drained(), "hints drained: " + hints);
    CheckReport report = readBackAndCheck(readback, ops);
    assertTrue(report.passed(), "history check: " + report.violations());

    System.out.printf("MEASURE SIGSTOP %s for 10 s under 100 ops/s: SIGSTOP to down (ms) %s; SIGCONT to up (ms) %s;"
        + " %s sees the others up again (ms after SIGCONT) %s; %d requests to the live nodes during the pause, all"
        + " acknowledged; %d hint versions pending after SIGCONT+3 s, drained in %d ms%n", paused, downAt, upAt,
        paused, othersUpAt, duringPause.size(), hints.pendingAtStart(), hints.waitedMs());
  }

  @Test
  @Order(2)
  void writesOnBothSidesOfAPartitionAllSurviveAsSiblingsAndAContextWriteResolvesThem() throws Exception {
    List<String> keys = ProcessCluster.keys("split-", 40);
    long cut = System.nanoTime();
    cluster.admin.drop("n1", List.of("n2", "n3"));
    cluster.admin.drop("n2", List.of("n1"));
    cluster.admin.drop("n3", List.of("n1"));
    Map<String, Map<String, Long>> n1Down = cluster.awaitStatus(List.of("n2", "n3"), List.of("n1"), "down", cut, 30_000);
    Map<String, Map<String, Long>> othersDown = cluster.awaitStatus(List.of("n1"), List.of("n2", "n3"), "down", cut,
        30_000);

    List<Operation> ops = new ArrayList<>();
    for (String key : keys) {
      ops.add(put(ops, "n1", key, "left-" + key));
      ops.add(put(ops, "n2", key, "right-" + key));
    }
    long healed = System.nanoTime();
    for (String node : cluster.ids()) {
      cluster.admin.heal(node);
    }
    Map<String, Map<String, Long>> upAt = cluster.awaitStatus(cluster.ids(), cluster.ids(), "up", healed, 30_000);
    Readback readback = cluster.readback(keys);
    Readback.HintWait hints = readback.awaitHints(120_000);
    assertTrue(hints.drained(), "hints drained: " + hints);

    Map<String, Map<String, KeyState>> replicas = readback.replicaStates(readback.homes(), new TreeMap<>());
    readback.awaitAllUp(60_000);
    for (String key : keys) {
      for (String node : cluster.ids()) {
        assertEquals(KeyState.of("left-" + key, "right-" + key), replicas.get(key).get(node),
            "what " + node + " alone holds for " + key);
        HttpProbe.Reply r = cluster.http(node).get("/kv/" + key + "?r=all");
        assertEquals(300, r.status(), key + " via " + node);
        assertEquals(Set.of("left-" + key, "right-" + key), SiblingDocs.values(r.json()), key + " via " + node);
      }
    }

    for (String key : keys) {
      HttpProbe.Reply read = cluster.http("n3").get("/kv/" + key, "Accept", "application/json");
      ops.add(new Operation(ops.size() + 1, 3, Kind.READ, key, null, Operation.NO_CONTEXT, Outcome.OK,
          List.copyOf(SiblingDocs.values(read.json())), System.nanoTime(), System.nanoTime(), "n3", "300"));
      long readId = ops.size();
      HttpProbe.Reply merged = cluster.http("n2").put("/kv/" + key, "merged-" + key, "X-Context",
          read.header("X-Context"));
      assertEquals(204, merged.status(), merged.toString());
      ops.add(new Operation(ops.size() + 1, 3, Kind.PUT, key, "merged-" + key, readId, Outcome.OK, List.of(),
          System.nanoTime(), System.nanoTime(), "n2", "204"));
    }
    for (String key : keys) {
      for (String node : cluster.ids()) {
        HttpProbe.Reply r = cluster.http(node).get("/kv/" + key + "?r=all");
        assertEquals(200, r.status(), key + " via " + node + ": " + r);
        assertEquals("merged-" + key, r.text());
      }
    }
    CheckReport report = readBackAndCheck(readback, ops);
    assertTrue(report.passed(), "history check: " + report.violations());
    System.out.printf("MEASURE partition {n1} | {n2,n3}: n1 seen down (ms) %s, n2/n3 seen down by n1 (ms) %s;"
        + " after healing all up (ms) %s; %d hint versions pending, drained in %d ms%n", n1Down, othersDown, upAt,
        hints.pendingAtStart(), hints.waitedMs());
  }

  /** A blind W=1 write through {@code node}, which must be acknowledged. */
  private static Operation put(List<Operation> ops, String node, String key, String value) {
    long start = System.nanoTime();
    HttpProbe.Reply r = cluster.http(node).put("/kv/" + key + "?w=1", value);
    assertEquals(204, r.status(), "W=1 write of " + key + " through " + node + ": " + r);
    return new Operation(ops.size() + 1, node.equals("n1") ? 1 : 2, Kind.PUT, key, value, Operation.NO_CONTEXT,
        Outcome.OK, List.of(), start, System.nanoTime(), node, "204");
  }

  private static CheckReport readBackAndCheck(Readback readback, List<Operation> ops) throws Exception {
    Map<String, String> errors = new TreeMap<>();
    Map<String, Map<String, KeyState>> replicas = readback.replicaStates(readback.homes(), errors);
    readback.awaitAllUp(60_000);
    return HistoryChecker.check(ops, readback.finalState(replicas, errors));
  }
}
