package io.ringkv.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.ClusterFaults;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.SiblingDocs;
import io.ringkv.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM with fault injection on and the default failure detector: a partition
 * {n1} | {n2, n3} made through the fault endpoints is seen by the detector on both sides, writes
 * with W=1 succeed on both sides, and after healing every acknowledged value is there as a sibling.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionTest {
  TestCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(3, dir, Map.of("fault-injection", "true", "gossip-interval-ms", "200",
        "suspect-after-ms", "1000", "down-after-ms", "2500", "row-cache-bytes", "8388608"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theFaultEndpointsValidateAndEchoThePlan() {
    HttpProbe n1 = cluster.http(1);
    Reply bad = n1.send("POST", "/cluster/faults", "{\"drop\": \"n2\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, bad.status());
    assertEquals("bad_request", bad.json().getString("error"));
    assertEquals(400, n1.send("POST", "/cluster/faults", "{\"delay\": {}}".getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(400, n1.send("POST", "/cluster/faults", "{\"delayMs\": {\"n2\": -5}}".getBytes(StandardCharsets.UTF_8))
        .status());
    assertEquals(400, n1.send("POST", "/cluster/faults", "not json".getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(405, n1.send("PUT", "/cluster/faults", new byte[0]).status());
    assertEquals(new JsonObject().put("drop", List.of()).put("dropInbound", List.of()).put("delayMs", new JsonObject()),
        n1.get("/cluster/faults").json(), "bad requests changed nothing");

    ClusterFaults.post(n1, new JsonObject().put("dropInbound", List.of("n3")).put("delayMs", Map.of("n2", 5)));
    JsonObject now = n1.get("/cluster/faults").json();
    assertEquals(List.of("n3"), now.getJsonArray("dropInbound").getList());
    assertEquals(5, now.getJsonObject("delayMs").getInteger("n2"));
    ClusterFaults.heal(n1);
    assertEquals(List.of(), n1.get("/cluster/faults").json().getJsonArray("dropInbound").getList());
  }

  @Test
  void aPartitionIsDetectedAndConcurrentWritesOnBothSidesBecomeSiblings() {
    HttpProbe n1 = cluster.http(1);
    HttpProbe n2 = cluster.http(2);
    HttpProbe n3 = cluster.http(3);
    long cut = System.nanoTime();
    ClusterFaults.drop(n1, List.of("n2", "n3"));
    ClusterFaults.drop(n2, List.of("n1"));
    ClusterFaults.drop(n3, List.of("n1"));
    try {
      TestCluster.await(10, "each side sees the other down", () -> ClusterFaults.status(n1, "n2").equals("down")
          && ClusterFaults.status(n1, "n3").equals("down") && ClusterFaults.status(n2, "n1").equals("down")
          && ClusterFaults.status(n3, "n1").equals("down"));
      System.out.printf("partition detected on both sides after %d ms%n", (System.nanoTime() - cut) / 1_000_000);
      assertEquals("up", ClusterFaults.status(n2, "n3"), "the majority side still sees itself");
      for (int k = 0; k < 20; k++) {
        assertEquals(204, n1.put("/kv/split-" + k + "?w=1", "left-" + k).status());
        assertEquals(204, n2.put("/kv/split-" + k + "?w=1", "right-" + k).status());
      }
    } finally {
      for (int i = 1; i <= 3; i++) {
        ClusterFaults.heal(cluster.http(i));
      }
    }
    TestCluster.await(30, "every node sees every node up",
        () -> ClusterFaults.status(n1, "n2").equals("up") && ClusterFaults.status(n2, "n1").equals("up")
            && ClusterFaults.status(n3, "n1").equals("up"));
    TestCluster.await(60, "hints are delivered", () -> ClusterFaults.pendingHints(n1) == 0
        && ClusterFaults.pendingHints(n2) == 0 && ClusterFaults.pendingHints(n3) == 0);
    for (int k = 0; k < 20; k++) {
      Reply read = n3.get("/kv/split-" + k + "?r=all", "Accept", "application/json");
      assertEquals(300, read.status(), "split-" + k + ": " + read);
      assertEquals(Set.of("left-" + k, "right-" + k), SiblingDocs.values(read.json()), "split-" + k);
      // Every replica holds both, not just the merged read.
      for (int i = 1; i <= 3; i++) {
        assertEquals(Set.of("left-" + k, "right-" + k), SiblingDocs.values(
            cluster.http(i).get("/kv/split-" + k + "?r=1", "Accept", "application/json").json()));
      }
      Reply merge = n1.put("/kv/split-" + k, "merged-" + k, "X-Context", read.header("X-Context"));
      assertEquals(204, merge.status());
      Reply after = n2.get("/kv/split-" + k);
      assertEquals(200, after.status());
      assertEquals("merged-" + k, after.text());
    }
    assertTrue(cluster.node(1).store().hints().delivered() > 0, "n1's writes reached n2 and n3 as hints");
  }
}
