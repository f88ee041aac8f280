package io.ringkv.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.AntiEntropyProbe;
import io.ringkv.testing.ClusterFaults;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM (N=3, hinted handoff off, so only anti-entropy repairs): tombstones go
 * once every home holds them and the grace period passed, and not before; a replica that missed
 * a delete and comes back after the grace period gets the tombstone, and the value stays deleted;
 * a node whose data dir was wiped comes back holding every key it is a home of.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AntiEntropyClusterTest {
  private static final long GRACE_MS = 3_000;
  private static final List<String> ALL = List.of("n1", "n2", "n3");
  private Path dir;
  private TestCluster cluster;

  @BeforeAll
  void start(@TempDir Path tmp) {
    dir = tmp;
    cluster = TestCluster.start(3, dir, Map.of("hinted-handoff", "false", "fault-injection", "true",
        "anti-entropy-interval-ms", "0", "tombstone-grace-ms", Long.toString(GRACE_MS), "suspect-after-ms", "1000",
        "down-after-ms", "2500", "row-cache-bytes", "8388608"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private RingkvNode node(String id) {
    return cluster.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }

  /** What the node's store holds under the key (blocking read, from the test thread). */
  private SiblingSet stored(String id, String key) {
    RingkvNode node = node(id);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return node.store().read(node.cluster().placement().partitionOf(k), k);
  }

  private void passOnEveryNode() {
    for (String id : ALL) {
      AntiEntropyProbe.runPass(cluster.http(id), 60);
    }
  }

  private void isolate(String id, boolean cut) {
    for (String other : ALL) {
      if (!cut) {
        ClusterFaults.heal(cluster.http(other));
      } else {
        ClusterFaults.drop(cluster.http(other), other.equals(id) ? ALL.stream().filter(n -> !n.equals(id)).toList()
            : List.of(id));
      }
    }
    String status = cut ? "down" : "up";
    TestCluster.await(20, "everyone sees " + id + " " + status, () -> ALL.stream().filter(n -> !n.equals(id))
        .allMatch(n -> ClusterFaults.status(cluster.http(n), id).equals(status)
            && ClusterFaults.status(cluster.http(id), n).equals(status)));
  }

  @Test
  @Order(1)
  void tombstonesEveryHomeHoldsGoOnceTheGracePeriodPassed() {
    for (int i = 0; i < 10; i++) {
      assertEquals(204, cluster.http(1).put("/kv/gc-a-" + i + "?w=all", "v" + i).status());
      assertEquals(204, cluster.http(2).delete("/kv/gc-a-" + i + "?w=all").status());
    }
    passOnEveryNode();
    for (String id : ALL) {
      for (int i = 0; i < 10; i++) {
        SiblingSet held = stored(id, "gc-a-" + i);
        assertTrue(!held.isEmpty() && !held.hasLiveValue(), "within the grace period " + id + " keeps the tombstone");
      }
    }
    TestCluster.await(30, "the grace period passes and a pass on every node removes the tombstones", () -> {
      passOnEveryNode();
      return ALL.stream().allMatch(id -> java.util.stream.IntStream.range(0, 10)
          .allMatch(i -> stored(id, "gc-a-" + i).isEmpty()));
    });
    for (String id : ALL) {
      assertEquals(404, cluster.http(id).get("/kv/gc-a-3?r=all").status(), "deleted on " + id);
      assertTrue(cluster.http(id).get("/cluster/antientropy").json().getJsonObject("totals")
          .getLong("tombstonesRemoved") > 0, id + " counted what it removed");
    }
    assertEquals(List.of(), AntiEntropyProbe.divergent(cluster.nodes()));
  }

  @Test
  @Order(2)
  void aReplicaThatMissedTheDeleteComesBackAfterTheGracePeriodAndTheValueStaysDeleted() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertEquals(204, cluster.http(1).put("/kv/gc-b-" + i + "?w=all", "value " + i).status());
    }
    isolate("n3", true);
    try {
      for (int i = 0; i < 20; i++) {
        assertEquals(204, cluster.http(1).delete("/kv/gc-b-" + i).status(), "deleted on n1 and n2");
      }
      Thread.sleep(GRACE_MS + 500); // the grace period itself is what this test is about
      for (String id : List.of("n1", "n2")) {
        AntiEntropyProbe.runPass(cluster.http(id), 60);
      }
      for (int i = 0; i < 20; i++) {
        for (String id : List.of("n1", "n2")) {
          SiblingSet held = stored(id, "gc-b-" + i);
          assertTrue(!held.isEmpty() && !held.hasLiveValue(), id + " keeps the tombstone while n3 lacks it");
        }
        assertTrue(stored("n3", "gc-b-" + i).hasLiveValue(), "n3 missed the delete");
      }
    } finally {
      isolate("n3", false);
    }
    // n3 is back, after the grace period, with the old values.
    passOnEveryNode();
    for (int i = 0; i < 20; i++) {
      for (String id : ALL) {
        assertEquals(404, cluster.http(id).get("/kv/gc-b-" + i + "?r=all").status(), "gc-b-" + i + " via " + id);
      }
    }
    TestCluster.await(30, "the tombstones go once n3 holds them too", () -> {
      passOnEveryNode();
      return ALL.stream().allMatch(id -> java.util.stream.IntStream.range(0, 20)
          .allMatch(i -> stored(id, "gc-b-" + i).isEmpty()));
    });
    for (int i = 0; i < 20; i++) {
      for (String id : ALL) {
        assertEquals(404, cluster.http(id).get("/kv/gc-b-" + i + "?r=all").status(), "still deleted via " + id);
      }
    }
  }

  @Test
  @Order(3)
  void aWipedNodeComesBackWithEveryKeyItIsAHomeOf() throws IOException {
    int keys = 400;
    for (int i = 0; i < keys; i++) {
      assertEquals(204, cluster.http(1 + i % 2).put("/kv/w-" + i + "?w=all", "wiped " + i).status());
    }
    cluster.stop("n3");
    try (Stream<Path> files = Files.walk(dir.resolve("n3"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    cluster.add("n3", Map.of());
    cluster.awaitConverged(3);
    TestCluster.await(30, "n3 has built its trees", () -> cluster.http("n3").get("/cluster/antientropy").json()
        .getJsonObject("trees").getInteger("building") == 0);
    JsonObject pass = AntiEntropyProbe.runPass(cluster.http("n3"), 120).getJsonObject("lastPass");
    assertTrue(pass.getLong("keysReceived") >= keys, "n3 pulled what it lacked: " + pass);
    assertEquals(List.of(), AntiEntropyProbe.divergent(cluster.nodes()), "equal roots");

    isolate("n3", true);
    try {
      HttpProbe alone = cluster.http("n3");
      for (int i = 0; i < keys; i++) {
        HttpProbe.Reply r = alone.get("/kv/w-" + i + "?r=1");
        assertEquals("wiped " + i, r.text(), "w-" + i + " on n3 alone: " + r);
      }
    } finally {
      isolate("n3", false);
    }
    // Its dots from before the wipe live on in the others: new versions take a new actor name.
    assertEquals(204, cluster.http("n3").put("/kv/after-wipe", "new").status());
    JsonObject doc = cluster.http("n3").get("/kv/after-wipe", "Accept", "application/json").json();
    String actor = doc.getJsonArray("siblings").getJsonObject(0).getJsonObject("clock").fieldNames().iterator().next();
    assertTrue(actor.startsWith("n3~"), "a new actor name: " + actor);
  }
}
