package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.GatedEngine;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinating replica stores a new version (synced) before any other replica sees it: the
 * exactness of its compact clocks rests on its own disk holding every dot it created
 * (docs/architecture.md, "Why the coordinator stores before it replicates"). Node 1's disk is
 * stalled or broken on purpose; every key has all three nodes as replicas (N=3 of 3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorStoresFirstTest {
  private TestCluster cluster;
  private final GatedEngine[] disks = new GatedEngine[4];

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(3, dir, Map.of("durability", "sync"), index -> engine -> {
      disks[index] = new GatedEngine(engine);
      return disks[index];
    });
  }

  @AfterEach
  void healDisks() {
    for (int i = 1; i <= 3; i++) {
      disks[i].releaseWrites();
      disks[i].failWritesOf(null);
    }
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void noReplicaSeesTheWriteWhileTheCoordinatorsOwnSyncIsStalled() throws Exception {
    disks[1].holdWrites();
    CompletableFuture<Reply> put = CompletableFuture.supplyAsync(
        () -> cluster.http(1).put("/kv/stalled?w=1&timeout=20000", "after-my-sync"));
    TestCluster.await(10, "node 1's write reaches its stalled disk", () -> disks[1].waitingWrites() > 0);
    // Absence can only be watched for a while: long enough for a MERGE to cross loopback many times.
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    while (System.nanoTime() < until) {
      assertTrue(stored(cluster.node(2), "stalled").versions().isEmpty(), "node 2 got it before node 1 stored it");
      assertTrue(stored(cluster.node(3), "stalled").versions().isEmpty(), "node 3 got it before node 1 stored it");
      Thread.sleep(20);
    }
    assertFalse(put.isDone(), "even W=1 waits for the coordinator's own copy: " + (put.isDone() ? put.get() : ""));

    disks[1].releaseWrites();
    assertEquals(204, put.get(15, TimeUnit.SECONDS).status());
    TestCluster.await(10, "every replica stores it once node 1 has", () ->
        stored(cluster.node(2), "stalled").versions().size() == 1
            && stored(cluster.node(3), "stalled").versions().size() == 1);
    assertEquals(stored(cluster.node(1), "stalled").versions(), stored(cluster.node(3), "stalled").versions());
  }

  @Test
  void aWriteTheCoordinatorCannotStoreIsRefusedAndReachesNoReplica() {
    disks[1].failWritesOf("refused");
    Reply put = cluster.http(1).put("/kv/refused?w=1", "lost-disk");
    assertEquals(503, put.status(), put.toString());
    assertEquals("unavailable", put.json().getString("error"));
    assertEquals(0, put.json().getInteger("acknowledged"));
    for (int i = 1; i <= 3; i++) {
      assertTrue(stored(cluster.node(i), "refused").versions().isEmpty(), "node " + i);
    }
    disks[1].failWritesOf(null);
    assertEquals(404, cluster.http(2).get("/kv/refused?r=3").status());
    assertEquals(204, cluster.http(1).put("/kv/refused?w=3", "disk-back").status());
    assertEquals("disk-back", cluster.http(3).get("/kv/refused?r=3").text());
  }

  private static SiblingSet stored(RingkvNode node, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return node.store().read(node.context().ring().partitionOf(k), k);
  }
}
