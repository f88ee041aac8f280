package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.SiblingDocs;
import io.ringkv.ring.Ring;
import io.ringkv.testing.FaultInjector;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
    cluster = TestCluster.start(3, dir, Map.of());
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
      Ring ring = node.context().ring();
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
    Ring ring = cluster.node(staleIndex).context().ring();
    assertTrue(cluster.node(staleIndex).store().read(ring.partitionOf(keyBytes), keyBytes).isEmpty(),
        "the cut replica missed the write");
    double before = cluster.node(c).context().metrics().readRepairs();
    assertEquals("fresh", cluster.http(c).get("/kv/" + key + "?r=2").text());
    TestCluster.await(10, "read repair reached " + stale,
        () -> !cluster.node(staleIndex).store().read(ring.partitionOf(keyBytes), keyBytes).isEmpty());
    TestCluster.await(10, "the coordinator counted the acknowledged repair",
        () -> cluster.node(c).context().metrics().readRepairs() > before);
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

}
