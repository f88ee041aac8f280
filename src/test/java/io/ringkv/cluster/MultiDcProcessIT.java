package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.History;
import io.ringkv.chaos.HistoryChecker;
import io.ringkv.chaos.KeyState;
import io.ringkv.chaos.Operation;
import io.ringkv.cli.ChaosWorkload;
import io.ringkv.cli.Readback;
import io.ringkv.merkle.RootAgreement;
import io.ringkv.ring.Replication;
import io.ringkv.ring.Ring;
import io.ringkv.testing.AntiEntropyProbe;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Two DCs of three real node processes ({@code --replication dc1:3,dc2:3}, 256 MiB heaps): a WAN
 * delay that local_quorum does not feel, a DC partition that both sides survive and that heals
 * into siblings with nothing lost (the chaos history checker) and equal anti-entropy roots, and a
 * whole DC killed with kill -9 while the other keeps serving, then restarted and caught up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiDcProcessIT {
  static final List<String> DC1 = List.of("n1", "n2", "n3");
  static final List<String> DC2 = List.of("n4", "n5", "n6");
  static final String REPLICATION = "dc1:3,dc2:3";
  @TempDir
  static Path dir;
  private static ProcessCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ProcessCluster.start(dir, 6, Map.of("replication", REPLICATION, "row-cache-bytes", "16777216",
            "anti-entropy-interval-ms", "0", "cache-bytes", "8388608", "write-buffer-bytes", "4194304"),
        ProcessCluster.jvmFlagsWithHeap("-Xmx256m"),
        id -> Map.of("dc", DC1.contains(id) ? "dc1" : "dc2"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void withFiftyMsBetweenTheDcsLocalQuorumStaysLocalAndTheLagIsMeasured() throws Exception {
    History history = new History();
    List<String> keys = ProcessCluster.keys("wan-", 2_000);
    ChaosWorkload before = workload(history, keys, 8, 200, 1);
    before.start();
    TimeUnit.SECONDS.sleep(4);
    before.stop();
    delayBetweenDcs(50);
    try {
      ChaosWorkload delayed = workload(history, keys, 8, 200, 2);
      delayed.start();
      TimeUnit.SECONDS.sleep(6);
      delayed.stop();
      assertEquals(List.of(), history.operations().stream().filter(o -> !o.acknowledged()).toList(),
          "every local_quorum request succeeds");
      JsonObject lag = cluster.http("n1").get("/cluster").json().getJsonObject("replicationLagMs").getJsonObject("dc2");
      assertTrue(lag.getLong("samples") > 0, lag.encode());
      // Headroom for a loaded CI machine; docs/multi-dc.md has the figures of a quiet one.
      assertTrue(lag.getLong("p99") < 2_000, "cross-DC lag " + lag.encode());
      System.out.printf("MEASURE 2 DCs x 3, 200 ops/s local_quorum: p99 %.1f ms without delay, %.1f ms with 50 ms"
              + " between the DCs; lag to dc2 seen by n1 %s%n", before.latencies().getValueAtPercentile(99) / 1000.0,
          delayed.latencies().getValueAtPercentile(99) / 1000.0, lag.encode());
    } finally {
      healAll();
    }
  }

  @Test
  @Order(2)
  void aDcPartitionKeepsBothSidesWritingAndHealsWithNothingLost() throws Exception {
    List<String> keys = ProcessCluster.keys("split-", 30);
    History history = new History();
    ChaosWorkload load = workload(history, keys, 6, 120, 3);
    load.start();
    TimeUnit.SECONDS.sleep(2);
    long cut = System.nanoTime();
    for (String a : DC1) {
      cluster.admin.drop(a, DC2);
    }
    for (String b : DC2) {
      cluster.admin.drop(b, DC1);
    }
    cluster.awaitStatus(DC1, DC2, "down", cut, 30_000);
    cluster.awaitStatus(DC2, DC1, "down", cut, 30_000);
    HttpProbe.Reply each = cluster.http("n2").put("/kv/each-quorum?w=each_quorum", "x");
    assertEquals(503, each.status(), each.toString());
    JsonObject dcs = each.json().getJsonObject("dcs");
    assertEquals(0, dcs.getJsonObject("dc2").getInteger("acknowledged"), each.json().encode());
    TimeUnit.SECONDS.sleep(4);
    long healed = System.nanoTime();
    healAll();
    cluster.awaitStatus(cluster.ids(), cluster.ids(), "up", healed, 30_000);
    TimeUnit.SECONDS.sleep(2);
    load.stop();
    List<Operation> ops = history.operations();
    assertEquals(List.of(), ops.stream().filter(o -> !o.acknowledged()).toList(),
        "both DCs accept every local_quorum request, during the partition too");
    long duringCut = ops.stream().filter(o -> o.isWrite() && o.startNanos() > cut && o.endNanos() < healed).count();
    assertTrue(duringCut > 100, "writes during the partition: " + duringCut);

    Readback readback = cluster.readback(keys);
    Readback.HintWait hints = readback.awaitHints(120_000);
    assertTrue(hints.drained(), "hints drained: " + hints);
    assertTrue(readback.runAntiEntropy(120_000));
    CheckReport report = check(readback, ops);
    assertTrue(report.passed(), "history check: " + report.violations());
    assertEquals(List.of(), divergentRoots(), "equal anti-entropy roots in both DCs");
    System.out.printf("MEASURE DC partition 6 s under 120 ops/s: %d writes during it, all acknowledged; %d hint"
        + " versions drained in %d ms after healing; history check passed%n", duringCut, hints.pendingAtStart(),
        hints.waitedMs());
  }

  @Test
  @Order(3)
  void losingAWholeDcKeepsTheOtherServingAndTheRestartedDcCatchesUp() throws Exception {
    List<String> keys = ProcessCluster.keys("dcloss-", 40);
    History history = new History();
    DC2.forEach(cluster.router::takeOut);
    ChaosWorkload load = workload(history, keys, 4, 100, 4);
    load.start();
    TimeUnit.SECONDS.sleep(2);
    long killed = System.nanoTime();
    cluster.nodes.kill9(DC2);
    Map<String, Map<String, Long>> downAt = cluster.awaitStatus(DC1, DC2, "down", killed, 30_000);
    long detected = System.nanoTime();
    TimeUnit.SECONDS.sleep(5);
    long restarted = System.nanoTime();
    for (String id : DC2) {
      cluster.nodes.start(id);
    }
    for (String id : DC2) {
      cluster.nodes.awaitReady(id, 120_000);
    }
    cluster.awaitStatus(cluster.ids(), cluster.ids(), "up", restarted, 60_000);
    DC2.forEach(cluster.router::putBack);
    TimeUnit.SECONDS.sleep(2);
    load.stop();
    List<Operation> ops = history.operations();
    assertEquals(List.of(), ops.stream().filter(o -> o.startNanos() > detected && !o.acknowledged()).toList(),
        "dc1 serves local_quorum without a failure once dc2 is known down");

    Readback readback = cluster.readback(keys);
    Readback.HintWait hints = readback.awaitHints(120_000);
    assertTrue(hints.drained(), "hints drained: " + hints);
    CheckReport report = check(readback, ops);
    assertTrue(report.passed(), "history check: " + report.violations());
    System.out.printf("MEASURE kill -9 of dc2 (3 nodes) under 100 ops/s on dc1: down in dc1 after (ms) %s;"
        + " %d hint versions for dc2 drained in %d ms after its restart%n", downAt, hints.pendingAtStart(),
        hints.waitedMs());
  }

  private static ChaosWorkload workload(History history, List<String> keys, int clients, double rate, long seed) {
    return new ChaosWorkload(cluster.http, history, cluster.router,
        new ChaosWorkload.Settings(keys, clients, rate, seed, "local_quorum", "local_quorum", 3_000, 6_000));
  }

  /**
   * {@code ms} added to every message between the DCs, each way: a node's delayMs acts on what it
   * sends to and receives from those nodes, so only dc1's side sets it (both sides would add it twice).
   */
  private static void delayBetweenDcs(int ms) throws Exception {
    for (String a : DC1) {
      cluster.http(a).send("POST", "/cluster/faults", new JsonObject().put("delayMs",
          new JsonObject().put("n4", ms).put("n5", ms).put("n6", ms)).encode().getBytes());
    }
  }

  private static void healAll() throws Exception {
    for (String node : cluster.ids()) {
      cluster.admin.heal(node);
    }
  }

  private static CheckReport check(Readback readback, List<Operation> ops) throws Exception {
    Map<String, String> errors = new TreeMap<>();
    Map<String, Map<String, KeyState>> replicas = readback.replicaStates(readback.homes(), errors);
    readback.awaitAllUp(60_000);
    return HistoryChecker.check(ops, readback.finalState(replicas, errors));
  }

  /** Partitions whose home replicas (both DCs') report different Merkle roots. */
  private static List<RootAgreement.Divergence> divergentRoots() {
    JsonObject ringView = cluster.http("n1").get("/cluster/ring").json();
    JsonArray owners = ringView.getJsonArray("owners");
    String[] ownerArray = owners.stream().map(String.class::cast).toArray(String[]::new);
    Ring ring = Ring.of(ringView.getInteger("partitions"), ringView.getLong("version"), ownerArray);
    Replication replication = Replication.parse(REPLICATION, 3);
    Map<String, Map<Integer, String>> roots = new HashMap<>();
    for (String node : cluster.ids()) {
      roots.put(node, AntiEntropyProbe.roots(cluster.http(node)));
    }
    return RootAgreement.divergent(roots, p -> replication.homes(ring, p), ring.partitions());
  }
}
