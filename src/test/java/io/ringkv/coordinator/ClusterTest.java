package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.ring.Ring;
import io.ringkv.testing.FaultInjector;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.SiblingDocs;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Three clustered nodes in one JVM: ring agreement, N-way replication, quorums, siblings, read repair. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
  TestCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(3, dir, flags());
  }

  /** Node flags on top of TestCluster's (a subclass runs every test with synced writes). */
  Map<String, String> flags() {
    return Map.of();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyNodeShowsTheSameRingAndPreferenceLists() {
    JsonObject ring = cluster.http(1).get("/cluster").json().getJsonObject("ring");
    assertEquals(256, ring.getInteger("partitions"));
    assertEquals(3, ring.getJsonObject("owners").size());
    int max = ring.getJsonObject("owners").stream().mapToInt(e -> (Integer) e.getValue()).max().orElseThrow();
    assertTrue(max <= 86, "balanced: no node owns more than ceil(256/3)");
    for (int i = 2; i <= 3; i++) {
      assertEquals(ring, cluster.http(i).get("/cluster").json().getJsonObject("ring"));
      assertEquals(cluster.http(1).get("/cluster/ring").json(), cluster.http(i).get("/cluster/ring").json());
    }
    for (String key : new String[] {"a", "user%2F42", "caf%C3%A9", "x-1", "x-2", "x-3"}) {
      JsonObject pref = cluster.http(1).get("/cluster/preference/" + key).json();
      assertEquals(3, pref.getJsonArray("replicas").size());
      assertEquals(3, Set.copyOf(pref.getJsonArray("replicas").getList()).size(), "distinct replicas");
      for (int i = 2; i <= 3; i++) {
        assertEquals(pref, cluster.http(i).get("/cluster/preference/" + key).json());
      }
    }
  }

  @Test
  void aWriteThroughOneNodeIsReadFromEveryNodeAndStoredOnAllReplicas() {
    assertEquals(204, cluster.http(1).put("/kv/replicated?w=all", "everywhere").status());
    for (int i = 1; i <= 3; i++) {
      Reply r = cluster.http(i).get("/kv/replicated?r=all");
      assertEquals(200, r.status(), "node " + i);
      assertEquals("everywhere", r.text());
    }
    byte[] key = "replicated".getBytes(StandardCharsets.UTF_8);
    for (var node : cluster.nodes()) {
      Ring ring = node.cluster().ring();
      SiblingSet local = node.store().read(ring.partitionOf(key), key);
      assertEquals(1, local.versions().size(), "replica on " + node.id());
    }
  }

  @Test
  void concurrentBlindWritesThroughDifferentCoordinatorsAreSiblingsEverywhere() throws Exception {
    CompletableFuture<Reply> a = CompletableFuture.supplyAsync(() -> cluster.http(1).put("/kv/race?w=all", "via-n1"));
    CompletableFuture<Reply> b = CompletableFuture.supplyAsync(() -> cluster.http(3).put("/kv/race?w=all", "via-n3"));
    assertEquals(204, a.get().status());
    assertEquals(204, b.get().status());
    String context = null;
    for (int i = 1; i <= 3; i++) {
      Reply r = cluster.http(i).get("/kv/race");
      assertEquals(300, r.status(), "node " + i);
      assertEquals(Set.of("via-n1", "via-n3"), SiblingDocs.values(r.json()));
      context = r.header("X-Context");
    }
    assertEquals(204, cluster.http(2).put("/kv/race?w=all", "resolved", "X-Context", context).status());
    for (int i = 1; i <= 3; i++) {
      Reply r = cluster.http(i).get("/kv/race");
      assertEquals(200, r.status());
      assertEquals("resolved", r.text());
    }
  }

  /** Many writers through one coordinator at once (batched replication under load): every write lands everywhere. */
  @Test
  void concurrentWritesThroughOneCoordinatorAllLandOnEveryReplica() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(32);
    try {
      int n = 400;
      List<CompletableFuture<Reply>> puts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String path = "/kv/concurrent-" + i + "?w=all";
        String value = "v" + i;
        puts.add(CompletableFuture.supplyAsync(() -> cluster.http(1).put(path, value), clients));
      }
      for (CompletableFuture<Reply> put : puts) {
        assertEquals(204, put.get(30, TimeUnit.SECONDS).status());
      }
      for (var node : cluster.nodes()) {
        Ring ring = node.cluster().ring();
        for (int i = 0; i < n; i++) {
          byte[] key = ("concurrent-" + i).getBytes(StandardCharsets.UTF_8);
          SiblingSet local = node.store().read(ring.partitionOf(key), key);
          assertEquals(1, local.versions().size(), "concurrent-" + i + " on " + node.id());
          assertEquals("v" + i, new String(local.versions().get(0).value(), StandardCharsets.UTF_8));
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * Requests for one node made in one event-loop turn travel as one batch, and each gets its own
   * outcome: stored and acknowledged, or (link cut) failed like a lone request would.
   */
  @Test
  void requestsForOneNodeInOneTurnTravelAsOneBatchWithTheirOwnOutcomes() throws Exception {
    var n1 = cluster.node(1);
    Context context = n1.vertx().getOrCreateContext();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReplicaOutbox outbox = new ReplicaOutbox(n1.vertx().eventBus(), context,
        registry.counter("batches"), registry.counter("batched"));
    Ring ring = n1.cluster().ring();
    byte[] k1 = "outbox-1".getBytes(StandardCharsets.UTF_8);
    byte[] k2 = "outbox-2".getBytes(StandardCharsets.UTF_8);
    SiblingSet one = SiblingSet.of(List.of(new Version(new Dot(n1.id(), 9_000_001), VersionVector.empty(), 1, false,
        "text/plain", "one".getBytes(StandardCharsets.UTF_8))));
    SiblingSet two = SiblingSet.of(List.of(new Version(new Dot(n1.id(), 9_000_002), VersionVector.empty(), 1, false,
        "text/plain", "two".getBytes(StandardCharsets.UTF_8))));
    var n2 = cluster.node(2);

    CompletableFuture<Void> stored = new CompletableFuture<>();
    context.runOnContext(v -> Future.all(
            outbox.ask(n2.id(), ReplicaRequest.merge(ring.partitionOf(k1), k1, one), 5_000),
            outbox.ask(n2.id(), ReplicaRequest.merge(ring.partitionOf(k2), k2, two), 5_000))
        .onComplete(r -> {
          if (r.succeeded()) {
            stored.complete(null);
          } else {
            stored.completeExceptionally(r.cause());
          }
        }));
    stored.get(10, TimeUnit.SECONDS);
    assertEquals(1.0, registry.counter("batches").count(), "two requests, one message");
    assertEquals(2.0, registry.counter("batched").count());
    assertEquals("one", new String(n2.store().read(ring.partitionOf(k1), k1).versions().get(0).value(),
        StandardCharsets.UTF_8));
    assertEquals("two", new String(n2.store().read(ring.partitionOf(k2), k2).versions().get(0).value(),
        StandardCharsets.UTF_8));

    CompletableFuture<List<String>> read = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<ReplicaReply> second = outbox.ask(n2.id(), ReplicaRequest.read(ring.partitionOf(k2), k2), 5_000);
      Future<ReplicaReply> first = outbox.ask(n2.id(), ReplicaRequest.read(ring.partitionOf(k1), k1), 5_000);
      Future.all(second, first).onComplete(r -> read.complete(r.failed() ? List.of() : List.of(
          new String(second.result().siblings().versions().get(0).value(), StandardCharsets.UTF_8),
          new String(first.result().siblings().versions().get(0).value(), StandardCharsets.UTF_8))));
    });
    assertEquals(List.of("two", "one"), read.get(10, TimeUnit.SECONDS), "each request gets its own answer");
    assertEquals(2.0, registry.counter("batches").count());

    var n3 = cluster.node(3);
    try (FaultInjector cut = FaultInjector.cutStorage(n1, n3.id())) {
      CompletableFuture<List<Boolean>> outcomes = new CompletableFuture<>();
      context.runOnContext(v -> {
        Future<ReplicaReply> a = outbox.ask(n3.id(), ReplicaRequest.merge(ring.partitionOf(k1), k1, one), 300);
        Future<ReplicaReply> b = outbox.ask(n3.id(), ReplicaRequest.merge(ring.partitionOf(k2), k2, two), 300);
        Future.join(a, b).onComplete(r -> outcomes.complete(List.of(a.failed(), b.failed())));
      });
      assertEquals(List.of(true, true), outcomes.get(10, TimeUnit.SECONDS), "a lost batch fails each of its requests");
    }
    assertEquals(3.0, registry.counter("batches").count());
  }

  @Test
  void readRepairBringsAStaleReplicaUpToDate() {
    String key = "repair-me";
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    String coordinator = cluster.http(1).get("/cluster/preference/" + key).json().getJsonArray("replicas").getString(0);
    int c = Integer.parseInt(coordinator.substring(1));
    int staleIndex = c % 3 + 1;
    String stale = "n" + staleIndex;
    try (FaultInjector cut = FaultInjector.cutStorage(cluster.node(c), stale)) {
      assertEquals(204, cluster.http(c).put("/kv/" + key + "?w=2&timeout=2000", "fresh").status());
    }
    Ring ring = cluster.node(staleIndex).cluster().ring();
    assertTrue(cluster.node(staleIndex).store().read(ring.partitionOf(keyBytes), keyBytes).isEmpty(),
        "the cut replica missed the write");
    double before = cluster.node(c).metrics().readRepairs();
    assertEquals("fresh", cluster.http(c).get("/kv/" + key + "?r=2").text());
    TestCluster.await(10, "read repair reached " + stale,
        () -> !cluster.node(staleIndex).store().read(ring.partitionOf(keyBytes), keyBytes).isEmpty());
    TestCluster.await(10, "the coordinator counted the acknowledged repair",
        () -> cluster.node(c).metrics().readRepairs() > before);
    assertTrue(cluster.http(c).get("/metrics").text().contains("ringkv_read_repairs_total"));
  }

  @Test
  void writeAllWithAReplicaCutOffIs503WithCounts() {
    String key = "needs-all";
    String coordinator = cluster.http(1).get("/cluster/preference/" + key).json().getJsonArray("replicas").getString(0);
    int c = Integer.parseInt(coordinator.substring(1));
    String other = "n" + (c % 3 + 1);
    try (FaultInjector cut = FaultInjector.cutStorage(cluster.node(c), other)) {
      Reply r = cluster.http(c).put("/kv/" + key + "?w=3&timeout=1500", "v");
      assertEquals(503, r.status(), r.toString());
      JsonObject body = r.json();
      assertTrue(Set.of("unavailable", "timeout").contains(body.getString("error")), body.encode());
      assertEquals(3, body.getInteger("required"));
      assertEquals(2, body.getInteger("acknowledged"));
      assertTrue(body.getString("message").contains("may still"), body.getString("message"));
      // A quorum read still works without the cut replica.
      assertEquals(200, cluster.http(c).get("/kv/" + key + "?r=2").status());
    }
  }

  @Test
  void everyNodeCoordinatesWritesAndReadsOfEveryKey() {
    // With N=3 on 3 nodes every node holds a replica; forwarding is covered by ForwardingTest (N=1).
    for (int i = 1; i <= 3; i++) {
      assertEquals(204, cluster.http(i).put("/kv/any-" + i, "v" + i).status());
      for (int j = 1; j <= 3; j++) {
        assertEquals("v" + i, cluster.http(j).get("/kv/any-" + i).text());
      }
    }
  }

  /**
   * Blind writes through every node until the key holds max-siblings versions (the default, 100):
   * each replica merged them all, and then every coordinator refuses the next one and no replica
   * stores it.
   */
  @Test
  void blindWritesStopAtMaxSiblingsOnEveryCoordinator() {
    int max = RingkvConfig.DEFAULT_MAX_SIBLINGS;
    for (int i = 1; i <= max; i++) {
      Reply r = cluster.http(i % 3 + 1).put("/kv/pile?w=all", "v" + i);
      assertEquals(204, r.status(), "write " + i + ": " + r);
    }
    for (int via = 1; via <= 3; via++) {
      Reply r = cluster.http(via).put("/kv/pile?w=all", "refused-" + via);
      assertEquals(409, r.status(), "via n" + via + ": " + r);
      assertEquals("too_many_siblings", r.json().getString("error"));
      assertEquals(max + 1, r.json().getInteger("siblings"));
    }
    byte[] key = "pile".getBytes(StandardCharsets.UTF_8);
    for (var node : cluster.nodes()) {
      SiblingSet local = node.store().read(node.cluster().ring().partitionOf(key), key);
      assertEquals(max, local.size(), "versions on " + node.id());
      assertTrue(local.versions().stream().noneMatch(v -> new String(v.value(), StandardCharsets.UTF_8)
          .startsWith("refused")), "a refused write is stored nowhere");
    }
  }
}
