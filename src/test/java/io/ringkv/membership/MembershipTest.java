package io.ringkv.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.ClusterFaults;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes on clustered nodes in one JVM: a join copies data before ownership moves and
 * moves only the joiner's share; a leave hands everything on; a dead node is removed and its
 * partitions rebuilt from the others. Throughout, every acknowledged value stays readable with
 * R=2, and every node ends with the same owner for every partition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipTest {
  private static final int KEYS = 300;
  TestCluster cluster;
  final Map<String, String> written = new LinkedHashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(3, dir, Map.of("suspect-after-ms", "1000", "down-after-ms", "2500",
        "row-cache-bytes", "8388608"));
    for (int k = 0; k < KEYS; k++) {
      assertEquals(204, cluster.http(1 + k % 3).put("/kv/m-" + k, "v" + k).status());
      written.put("m-" + k, "v" + k);
    }
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private JsonArray owners(HttpProbe node) {
    return node.get("/cluster/ring").json().getJsonArray("owners");
  }

  /** Every running node holds the same ring, with no change running and {@code expected} member states. */
  private void awaitRing(Map<String, String> expected) {
    TestCluster.await(90, "every node holds one ring with " + expected, () -> {
      JsonObject first = null;
      for (RingkvNode node : cluster.nodes()) {
        JsonObject view = new HttpProbe(node.httpPort()).get("/cluster").json();
        JsonObject ring = view.getJsonObject("ring");
        if (ring == null || ring.getInteger("pending") != 0) {
          return false;
        }
        for (Object o : view.getJsonArray("nodes")) {
          JsonObject n = (JsonObject) o;
          if (expected.containsKey(n.getString("id")) && !expected.get(n.getString("id")).equals(
              n.getString("membership"))) {
            return false;
          }
        }
        JsonObject layout = new HttpProbe(node.httpPort()).get("/cluster/ring").json();
        if (!layout.getJsonArray("moving").isEmpty() || first != null && !first.equals(layout)) {
          return false;
        }
        first = layout;
      }
      return true;
    });
  }

  private void assertEveryValueReadable() {
    for (RingkvNode node : cluster.nodes()) {
      HttpProbe http = new HttpProbe(node.httpPort());
      for (Map.Entry<String, String> e : written.entrySet()) {
        assertEquals(e.getValue(), http.get("/kv/" + e.getKey() + "?r=2").text(), e.getKey() + " via " + node.id());
      }
    }
  }

  /** Every node that is a home of a key holds it; no other node does (once copies are dropped). */
  private void awaitCopiesWhereTheRingSays() {
    TestCluster.await(60, "each key stored exactly on its home replicas", () -> {
      for (Map.Entry<String, String> e : written.entrySet()) {
        byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
        JsonArray homes = cluster.http(1).get("/cluster/preference/" + e.getKey()).json().getJsonArray("replicas");
        for (RingkvNode node : cluster.nodes()) {
          int partition = node.cluster().ring().partitionOf(key);
          boolean holds = node.store().read(partition, key).hasLiveValue();
          if (holds != homes.contains(node.id())) {
            return false;
          }
        }
      }
      return true;
    });
  }

  @Test
  @Order(1)
  void aNewNodeJoinsAndTakesOnlyItsShareOnceCopied() {
    JsonArray before = owners(cluster.http(1));
    cluster.add("n4", Map.of());
    awaitRing(Map.of("n1", "member", "n2", "member", "n3", "member", "n4", "member"));
    JsonArray after = owners(cluster.http(1));
    int moved = 0;
    for (int p = 0; p < before.size(); p++) {
      if (!before.getString(p).equals(after.getString(p))) {
        assertEquals("n4", after.getString(p), "partition " + p + " moved between old nodes");
        moved++;
      }
    }
    assertEquals(64, moved, "Q/(S+1) = 256/4 partitions move");
    long max = after.stream().filter("n4"::equals).count();
    assertTrue(max <= 64);
    assertEveryValueReadable();
    awaitCopiesWhereTheRingSays();
  }

  @Test
  @Order(2)
  void membershipChangesAreValidated() {
    HttpProbe n1 = cluster.http(1);
    assertEquals(404, n1.send("POST", "/cluster/members/nobody/join", new byte[0]).status());
    assertEquals(404, n1.send("POST", "/cluster/members/nobody/leave", new byte[0]).status());
    assertEquals(400, n1.send("POST", "/cluster/members/bad%20id/leave", new byte[0]).status());
    assertEquals(404, n1.send("POST", "/cluster/members/n2/explode", new byte[0]).status());
    assertEquals(405, n1.get("/cluster/members/n2/leave").status());
    Reply up = n1.send("POST", "/cluster/members/n2/remove", new byte[0]);
    assertEquals(409, up.status(), "remove is for dead nodes: " + up);
    assertEquals(409, n1.send("POST", "/cluster/members/n2/join", new byte[0]).status(), "already a member");
  }

  @Test
  @Order(3)
  void aMemberLeavesAfterHandingEverythingOn() {
    Reply leave = cluster.http(3).send("POST", "/cluster/members/n2/leave", new byte[0]);
    assertEquals(202, leave.status(), leave.toString());
    Reply second = cluster.http(1).send("POST", "/cluster/members/n3/leave", new byte[0]);
    assertEquals(409, second.status(), "one change at a time: " + second);
    awaitRing(Map.of("n1", "member", "n2", "left", "n3", "member", "n4", "member"));
    assertEquals(0, owners(cluster.http(1)).stream().filter("n2"::equals).count());
    assertEveryValueReadable();
    awaitCopiesWhereTheRingSays();
  }

  @Test
  @Order(4)
  void aDeadMemberIsRemovedAndItsPartitionsRebuiltFromTheOthers() {
    cluster.stop("n3");
    // The node asked to remove n3 must see it down itself: each node's detector runs on its own.
    TestCluster.await(20, "n1 and n4 see n3 down", () -> ClusterFaults.status(cluster.http("n1"), "n3").equals("down")
        && ClusterFaults.status(cluster.http("n4"), "n3").equals("down"));
    // Written while n3 is down: fallbacks keep hints for it, which only its partitions' new homes can use.
    for (int k = 0; k < 60; k++) {
      assertEquals(204, cluster.http("n1").put("/kv/while-n3-down-" + k, "d" + k).status());
      written.put("while-n3-down-" + k, "d" + k);
    }
    Reply remove = cluster.http("n4").send("POST", "/cluster/members/n3/remove", new byte[0]);
    assertEquals(202, remove.status(), remove.toString());
    awaitRing(Map.of("n1", "member", "n3", "left", "n4", "member"));
    List<String> owners = new ArrayList<>();
    owners(cluster.http("n1")).forEach(o -> owners.add((String) o));
    assertTrue(owners.stream().allMatch(o -> o.equals("n1") || o.equals("n4")), "only n1 and n4 own partitions");
    TestCluster.await(60, "the hints for n3, which left, are handed to the new homes", () -> cluster.nodes().stream()
        .allMatch(node -> new HttpProbe(node.httpPort()).get("/cluster/hints").json().getJsonObject("pending")
            .isEmpty()));
    assertEveryValueReadable();
  }
}
