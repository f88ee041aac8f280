package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.ring.Ring;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N=1 on 3 nodes: most keys have no replica on the node a client talks to, so that node must
 * forward writes to the key's home replica and read it remotely.
 */
class ForwardingTest {

  @Test
  void anyNodeCoordinatesKeysItHoldsNoReplicaOf(@TempDir Path dir) {
    try (TestCluster cluster = TestCluster.start(3, dir, Map.of("n", "1", "r", "1", "w", "1"))) {
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
  }
}
