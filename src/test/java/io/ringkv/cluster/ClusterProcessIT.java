package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.NodeProcess;
import io.ringkv.testing.SiblingDocs;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node processes (N=3, W=2, R=2): nothing acknowledged is lost when a node is killed
 * with kill -9, a quorum the cluster cannot meet is refused with counts, hinted handoff and read
 * repair bring the restarted node back in line, and concurrent blind writes through different
 * coordinators are siblings on every node.
 */
class ClusterProcessIT {
  private static final Pattern REPAIRS = Pattern.compile("(?m)^ringkv_read_repairs_total(\\{[^}]*})? ([0-9.E]+)$");

  @TempDir
  Path dir;
  private final List<NodeProcess> processes = new ArrayList<>();
  private final int[] httpPorts = new int[3];
  private final int[] clusterPorts = new int[3];

  @AfterEach
  void cleanUp() {
    processes.forEach(NodeProcess::close);
  }

  private NodeProcess startNode(int i) throws Exception {
    String seeds = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:" + clusterPorts[2];
    NodeProcess p = new NodeProcess("n" + (i + 1), List.of(
        "--host", "127.0.0.1", "--http-port", Integer.toString(httpPorts[i]),
        "--cluster-port", Integer.toString(clusterPorts[i]), "--seeds", seeds,
        "--data-dir", dir.resolve("n" + (i + 1)).toString(), "--n", "3", "--r", "2", "--w", "2",
        "--durability", "sync",
        "--gossip-interval-ms", "250", "--suspect-after-ms", "2000", "--down-after-ms", "4000")).start();
    processes.add(p);
    return p;
  }

  private HttpProbe http(int i) {
    return new HttpProbe(httpPorts[i]);
  }

  /** Also waits until no membership change runs: new nodes join one after another once ready. */
  private void awaitUp(int node, int expectedUp) {
    TestCluster.await(120, "n" + (node + 1) + " sees " + expectedUp + " ring members up, no change running", () -> {
      JsonObject view = http(node).get("/cluster").json();
      return view.getJsonObject("ring").getInteger("pending") == 0 && view.getJsonArray("nodes").stream()
          .map(JsonObject.class::cast)
          .filter(m -> "up".equals(m.getString("status")) && "member".equals(m.getString("membership")))
          .count() == expectedUp;
    });
  }

  @Test
  void killAQuorumMemberLoseNothingAndRepairItAfterRestart() throws Exception {
    for (int i = 0; i < 3; i++) {
      httpPorts[i] = TestNodes.freePort();
      clusterPorts[i] = TestNodes.freePort();
    }
    NodeProcess[] nodes = new NodeProcess[3];
    for (int i = 0; i < 3; i++) {
      nodes[i] = startNode(i);
    }
    for (NodeProcess node : nodes) {
      node.awaitReady(120);
    }
    for (int i = 0; i < 3; i++) {
      awaitUp(i, 3);
    }
    assertEquals(http(0).get("/cluster").json().getJsonObject("ring"), http(2).get("/cluster").json().getJsonObject("ring"));

    for (int k = 0; k < 200; k++) {
      assertEquals(204, http(0).put("/kv/before-" + k, "value-" + k).status(), "before-" + k);
    }

    // Concurrent blind writes through two coordinators: siblings on every node's read.
    CompletableFuture<Reply> a = CompletableFuture.supplyAsync(() -> http(0).put("/kv/race?w=all", "via-n1"));
    CompletableFuture<Reply> b = CompletableFuture.supplyAsync(() -> http(2).put("/kv/race?w=all", "via-n3"));
    assertEquals(204, a.get().status());
    assertEquals(204, b.get().status());
    for (int i = 0; i < 3; i++) {
      Reply r = http(i).get("/kv/race?r=all");
      assertEquals(300, r.status(), "n" + (i + 1));
      assertEquals(Set.of("via-n1", "via-n3"), SiblingDocs.values(r.json()));
    }

    nodes[1].kill9();
    for (int k = 0; k < 200; k++) {
      Reply r = http(2).get("/kv/before-" + k);
      assertEquals(200, r.status(), "before-" + k + " after kill -9 of n2");
      assertEquals("value-" + k, r.text());
    }
    for (int k = 0; k < 100; k++) {
      assertEquals(204, http(0).put("/kv/during-" + k, "value-" + k).status(), "during-" + k);
    }
    Reply all = http(0).put("/kv/needs-all?w=3", "x");
    assertEquals(503, all.status(), all.toString());
    assertEquals(3, all.json().getInteger("required"));
    assertEquals(2, all.json().getInteger("acknowledged"));
    TestCluster.await(30, "n1 lists the killed n2 as down (still a ring member)",
        () -> http(0).get("/cluster").json().getJsonArray("nodes").stream().map(JsonObject.class::cast)
            .anyMatch(m -> "n2".equals(m.getString("id")) && "down".equals(m.getString("status"))));

    nodes[1] = startNode(1).awaitReady(120);
    // kill -9 may have cost n2 dots it made: it now makes them under a new actor name.
    assertTrue(nodes[1].output().stream().anyMatch(line -> line.contains("actor=n2~1")), "n2's ready line names n2~1");
    for (int i = 0; i < 3; i++) {
      awaitUp(i, 3);
    }
    assertEquals(204, http(1).put("/kv/after-restart?w=3", "new-actor").status());
    JsonObject clock = http(0).get("/kv/after-restart", "Accept", "application/json").json()
        .getJsonArray("siblings").getJsonObject(0).getJsonObject("clock");
    assertEquals(Set.of("n2~1"), clock.fieldNames(), clock.encode());
    // n1 kept hints for the writes n2 missed (its replicas did not answer, then it was down);
    // handoff brings them back; read repair fixes whatever a read finds stale meanwhile.
    for (int k = 0; k < 100; k++) {
      assertEquals("value-" + k, http(2).get("/kv/during-" + k + "?r=2").text());
    }
    TestCluster.await(60, "n1's hints for the writes n2 missed are delivered",
        () -> http(0).get("/cluster/hints").json().getJsonObject("pending").isEmpty());
    assertTrue(http(0).get("/cluster/hints").json().getLong("delivered") + repairs(2) >= 100,
        "the 100 keys n2 missed reached it by hinted handoff or read repair");

    // Only n2 is left: it must hold everything by itself now.
    nodes[0].kill9();
    nodes[2].kill9();
    for (int k = 0; k < 100; k++) {
      Reply r = http(1).get("/kv/during-" + k + "?r=1");
      assertEquals(200, r.status(), "during-" + k + " on the repaired n2");
      assertEquals("value-" + k, r.text());
    }
    for (NodeProcess node : nodes) {
      node.assertNoBlockedThreads();
    }
  }

  private double repairs(int node) {
    Matcher m = REPAIRS.matcher(http(node).get("/metrics").text());
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }
}
