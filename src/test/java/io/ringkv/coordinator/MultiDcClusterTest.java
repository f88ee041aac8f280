package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.ClusterFaults;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.SiblingDocs;
import io.ringkv.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two DCs of two nodes in one JVM ({@code --replication dc1:2,dc2:2}, fault injection on):
 * placement per DC, the consistency levels, asynchronous replication through the relays, a DC
 * partition that both sides survive with local_quorum (each_quorum refused), and the siblings
 * both sides wrote readable everywhere after healing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiDcClusterTest {
  private static final List<String> DC1 = List.of("n1", "n2");
  private static final List<String> DC2 = List.of("n3", "n4");
  TestCluster cluster;
  int members = 4;

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.startEach(4, dir, Map.of("fault-injection", "true", "replication", "dc1:2,dc2:2",
        "suspect-after-ms", "1000", "down-after-ms", "2500", "row-cache-bytes", "8388608",
        "anti-entropy-interval-ms", "0"), i -> Map.of("dc", i <= 2 ? "dc1" : "dc2"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void heal() {
    for (int i = 1; i <= 4; i++) {
      ClusterFaults.heal(cluster.http(i));
    }
    cluster.awaitConverged(members);
  }

  @Test
  void everyKeyHasItsReplicasInEachDcAndTheViewShowsTheDcs() {
    for (int k = 0; k < 50; k++) {
      JsonObject pref = cluster.http(1).get("/cluster/preference/key" + k).json();
      List<String> replicas = pref.getJsonArray("replicas").stream().map(String.class::cast).toList();
      assertEquals(4, replicas.size(), replicas.toString());
      assertTrue(replicas.subList(0, 2).containsAll(DC1), replicas.toString());
      assertTrue(replicas.subList(2, 4).containsAll(DC2), replicas.toString());
    }
    JsonObject view = cluster.http(3).get("/cluster").json();
    assertEquals(new JsonObject().put("n", 2).put("nodes", 2).put("up", 2), view.getJsonObject("dcs").getJsonObject("dc1"));
    assertEquals(new JsonObject().put("n", 2).put("nodes", 2).put("up", 2), view.getJsonObject("dcs").getJsonObject("dc2"));
    assertTrue(view.getJsonObject("replicationLagMs").containsKey("dc1"), view.encode());
    assertEquals(400, cluster.http(1).put("/kv/x?w=local_two", "v").status());
    assertEquals(400, cluster.http(1).put("/kv/x?w=5", "v").status());
  }

  @Test
  void aLocalQuorumWriteIsReplicatedToTheOtherDcAndLagIsMeasured() {
    for (int k = 0; k < 20; k++) {
      assertEquals(204, cluster.http(1).put("/kv/async" + k, "v" + k).status());
    }
    for (int k = 0; k < 20; k++) {
      String key = "/kv/async" + k;
      String want = "v" + k;
      TestCluster.await(20, key + " readable in dc2 at local_one", () -> {
        Reply r = cluster.http(4).get(key + "?r=local_one");
        return r.status() == 200 && r.text().equals(want);
      });
    }
    JsonObject lag = cluster.http(1).get("/cluster").json().getJsonObject("replicationLagMs").getJsonObject("dc2");
    assertTrue(lag.getLong("samples") > 0, lag.encode());
    String metrics = cluster.http(1).get("/metrics").text();
    assertTrue(metrics.contains("ringkv_dc_replication_lag_seconds_count{dc=\"dc2\""), "lag meter missing");
    assertTrue(metrics.contains("ringkv_dc_relay_batches_total{dc=\"dc2\""), "relay meter missing");
    assertEquals(200, cluster.http(3).get("/kv/async0?r=each_quorum").status());
    assertEquals(200, cluster.http(3).get("/kv/async0?r=all").status());
  }

  @Test
  void aDcPartitionKeepsLocalQuorumOnBothSidesAndHealsIntoSiblings() {
    partitionDcs();
    TestCluster.await(30, "each DC sees the other down", () ->
        "down".equals(ClusterFaults.status(cluster.http(1), "n3"))
            && "down".equals(ClusterFaults.status(cluster.http(3), "n1")));
    Set<String> written = new HashSet<>();
    for (int k = 0; k < 10; k++) {
      assertEquals(204, cluster.http(1).put("/kv/split" + k, "from-dc1").status());
      assertEquals(204, cluster.http(3).put("/kv/split" + k, "from-dc2").status());
      written.add("split" + k);
    }
    Reply refused = cluster.http(2).put("/kv/each?w=each_quorum", "x");
    assertEquals(503, refused.status(), refused.text());
    JsonObject dcs = refused.json().getJsonObject("dcs");
    assertEquals(2, dcs.getJsonObject("dc2").getInteger("required"));
    assertEquals(0, dcs.getJsonObject("dc2").getInteger("acknowledged"));
    assertEquals(2, dcs.getJsonObject("dc1").getInteger("acknowledged"));
    assertEquals(503, cluster.http(4).get("/kv/split0?r=each_quorum").status());
    TestCluster.await(30, "dc1's coordinators keep hints for dc2", () -> hintedFor(1, "dc2") + hintedFor(2, "dc2") > 0);

    for (int i = 1; i <= 4; i++) {
      ClusterFaults.heal(cluster.http(i));
    }
    for (String key : written) {
      for (int node = 1; node <= 4; node++) {
        HttpProbe probe = cluster.http(node);
        TestCluster.await(60, key + " holds both DCs' writes on n" + node, () -> {
          Reply r = probe.get("/kv/" + key + "?r=local_quorum", "Accept", "application/json");
          return r.status() == 300 && SiblingDocs.values(r.json()).equals(Set.of("from-dc1", "from-dc2"));
        });
      }
    }
  }

  @Test
  void localQuorumNeverWaitsForTheSlowDc() {
    for (String a : DC1) {
      ClusterFaults.post(cluster.http(Integer.parseInt(a.substring(1))),
          new JsonObject().put("delayMs", Map.of("n3", 1500, "n4", 1500)));
    }
    for (String b : DC2) {
      ClusterFaults.post(cluster.http(Integer.parseInt(b.substring(1))),
          new JsonObject().put("delayMs", Map.of("n1", 1500, "n2", 1500)));
    }
    long started = System.nanoTime();
    for (int k = 0; k < 5; k++) {
      assertEquals(204, cluster.http(1).put("/kv/slow" + k, "v").status());
      assertEquals(200, cluster.http(2).get("/kv/slow" + k).status());
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    // Ten requests; waiting for the other DC even once would cost 3 s (delay both ways).
    assertTrue(tookMs < 2_500, "local_quorum requests took " + tookMs + " ms with a 1.5 s WAN delay");
    TestCluster.await(30, "the slow DC got the writes", () -> cluster.http(3).get("/kv/slow4?r=local_one").status() == 200);
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it changes the cluster
  void aNodeJoiningDc2TakesPartitionsOfDc2OnlyAndServesWhatWasWritten() {
    for (int k = 0; k < 30; k++) {
      assertEquals(204, cluster.http(1).put("/kv/before-join" + k, "v" + k).status());
    }
    JsonObject ringBefore = cluster.http(1).get("/cluster/ring").json();
    cluster.add("n5", Map.of("dc", "dc2"));
    members = 5;
    cluster.awaitConverged(5);
    List<String> before = ringBefore.getJsonArray("owners").stream().map(String.class::cast).toList();
    List<String> after = cluster.http(1).get("/cluster/ring").json().getJsonArray("owners").stream()
        .map(String.class::cast).toList();
    int moved = 0;
    for (int p = 0; p < after.size(); p++) {
      if (!before.get(p).equals(after.get(p))) {
        moved++;
        assertEquals("n5", after.get(p), "partition " + p + " moved, not to the joiner");
        assertEquals(1, p % 2, "partition " + p + " of dc1's slot moved");
      }
    }
    assertTrue(moved >= 128 / 3 - 1 && moved <= 128 / 3 + 1, "moved " + moved);
    HttpProbe n5 = cluster.http("n5");
    for (int k = 0; k < 30; k++) {
      Reply r = n5.get("/kv/before-join" + k + "?r=local_quorum");
      assertEquals(200, r.status(), r.toString());
      assertEquals("v" + k, r.text());
    }
  }

  private long hintedFor(int node, String dc) {
    return cluster.http(node).get("/cluster").json().getJsonObject("replicationLagMs").getJsonObject(dc)
        .getLong("hinted");
  }

  private void partitionDcs() {
    for (String a : DC1) {
      ClusterFaults.drop(cluster.http(Integer.parseInt(a.substring(1))), DC2);
    }
    for (String b : DC2) {
      ClusterFaults.drop(cluster.http(Integer.parseInt(b.substring(1))), DC1);
    }
  }
}
