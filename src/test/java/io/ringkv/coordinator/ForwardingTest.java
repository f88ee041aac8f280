package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.ring.Ring;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import io.ringkv.testing.HttpProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * N=1 on 3 nodes: most keys have no replica on the node a client talks to, so that node must
 * forward writes to the key's home replica and read it remotely.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardingTest {
  static final int MAX_SIBLINGS = 4;
  TestCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(3, dir, Map.of("n", "1", "r", "1", "w", "1",
        "siblings-warn", "2", "max-siblings", Integer.toString(MAX_SIBLINGS)));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anyNodeCoordinatesKeysItHoldsNoReplicaOf() {
    int forwarded = 0;
    for (int k = 0; k < 30; k++) {
      String key = "fwd-" + k;
      byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
      int via = k % 3 + 1;
      String home = cluster.http(1).get("/cluster/preference/" + key).json().getJsonArray("replicas").getString(0);
      forwarded += home.equals("n" + via) ? 0 : 1;
      assertEquals(204, cluster.http(via).put("/kv/" + key, "value-" + k).status(), key + " via n" + via);
      for (int i = 1; i <= 3; i++) {
        assertEquals("value-" + k, cluster.http(i).get("/kv/" + key).text(), key + " read via n" + i);
      }
      for (var node : cluster.nodes()) {
        Ring ring = node.cluster().ring();
        SiblingSet local = node.store().read(ring.partitionOf(keyBytes), keyBytes);
        assertEquals(node.id().equals(home) ? 1 : 0, local.versions().size(), key + " stored on " + node.id());
      }
    }
    assertTrue(forwarded >= 10, "most writes went through a node without a replica: " + forwarded);
  }

  /** The home replica refuses; the node the client talks to passes the 409 on unchanged. */
  @Test
  void aWriteRefusedForTooManySiblingsIsAnsweredThroughTheForwardingNode() {
    String key = "crowded";
    String home = cluster.http(1).get("/cluster/preference/" + key).json().getJsonArray("replicas").getString(0);
    int via = home.equals("n1") ? 2 : 1;
    for (int i = 1; i <= MAX_SIBLINGS; i++) {
      assertEquals(204, cluster.http(via).put("/kv/" + key, "v" + i).status(), "write " + i);
    }
    HttpProbe.Reply refused = cluster.http(via).put("/kv/" + key, "one too many");
    assertEquals(409, refused.status(), refused.toString());
    assertEquals("too_many_siblings", refused.json().getString("error"));
    assertEquals(MAX_SIBLINGS, refused.json().getInteger("limit"));
    assertEquals(MAX_SIBLINGS + 1, refused.json().getInteger("siblings"));
    HttpProbe.Reply read = cluster.http(via).get("/kv/" + key, "Accept", "application/json");
    assertEquals(300, read.status());
    assertEquals(MAX_SIBLINGS, read.json().getJsonArray("siblings").size(), "nothing of the refused write");
  }
}
