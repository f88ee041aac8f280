package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.FaultInjector;
import io.ringkv.testing.GatedEngine;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.SiblingDocs;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With synced writes the coordinating replica sends its new version to the other replicas while
 * its own fsync runs, and counts its own copy only once that is synced; a dot it then loses is
 * never claimed by its later clocks. Node 1's disk is stalled or broken on purpose; every key has
 * all three nodes as replicas (N=3 of 3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncReplicationTest {
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
  void theOtherReplicasAcknowledgeWhileTheCoordinatorsOwnSyncIsStalled() throws Exception {
    disks[1].holdWrites();
    CompletableFuture<Reply> put = CompletableFuture.supplyAsync(
        () -> cluster.http(1).put("/kv/stalled?w=2&timeout=20000", "while-syncing"));
    Reply reply = put.get(15, TimeUnit.SECONDS);
    assertEquals(204, reply.status(), reply.toString());
    assertTrue(disks[1].waitingWrites() > 0, "node 1's own write is still held");
    assertTrue(stored(cluster.node(1), "stalled").versions().isEmpty(), "node 1 has not stored it yet");
    Reply read = cluster.http(2).get("/kv/stalled?r=2");
    assertEquals(200, read.status());
    assertEquals("while-syncing", read.text());

    disks[1].releaseWrites();
    TestCluster.await(10, "node 1 stores its own write once its disk moves", () ->
        stored(cluster.node(1), "stalled").versions().size() == 1);
    assertEquals(stored(cluster.node(2), "stalled").versions(), stored(cluster.node(1), "stalled").versions());
  }

  /** Only the coordinator's own timer can answer here: its sync is held, the others acknowledged. */
  @Test
  void aWriteShortOfItsQuorumWhenTheTimeoutComesIsATimeoutWithTheCount() {
    disks[1].holdWrites();
    Reply reply = cluster.http(1).put("/kv/slow-own-sync?w=3&timeout=700", "v");
    assertEquals(503, reply.status(), reply.toString());
    assertEquals("timeout", reply.json().getString("error"), reply.toString());
    assertEquals(3, reply.json().getInteger("required"));
    assertEquals(2, reply.json().getInteger("acknowledged"), "nodes 2 and 3 stored it; node 1 is still syncing");
    disks[1].releaseWrites();
    TestCluster.await(10, "node 1 stores its own copy once its disk moves", () ->
        stored(cluster.node(1), "slow-own-sync").versions().size() == 1);
    assertEquals("v", cluster.http(1).get("/kv/slow-own-sync?r=3").text(), "the write was kept, as the message says");
  }

  @Test
  void aCoordinatorWhoseOwnWriteFailsCountsOnlyTheOthers() {
    disks[1].failWritesOf("broken-all");
    Reply all = cluster.http(1).put("/kv/broken-all?w=3", "needs-three");
    assertEquals(503, all.status(), all.toString());
    assertEquals(3, all.json().getInteger("required"));
    assertEquals(2, all.json().getInteger("acknowledged"));
    assertTrue(stored(cluster.node(1), "broken-all").versions().isEmpty());
    assertEquals(1, stored(cluster.node(3), "broken-all").versions().size());

    disks[1].failWritesOf("broken-two");
    assertEquals(204, cluster.http(1).put("/kv/broken-two?w=2", "two-suffice").status());
    for (int i = 1; i <= 3; i++) {
      Reply r = cluster.http(i).get("/kv/broken-two?r=2");
      assertEquals(200, r.status(), "node " + i);
      assertEquals("two-suffice", r.text());
    }
  }

  /**
   * Node 1 makes dot (n1, c1), sends it, and loses it (its write fails). Cut off from the others,
   * it then writes the key again without knowing c1; were that dot made under the same actor, its
   * clock {n1: c2} would claim c1, and a write with that context would silently drop "first",
   * which no client ever saw.
   */
  @Test
  void aDotTheCoordinatorLostIsNeverCoveredByItsLaterClocks() {
    String actorBefore = cluster.node(1).store().actor();
    disks[1].failWritesOf("lost-dot");
    assertEquals(204, cluster.http(1).put("/kv/lost-dot?w=2", "first").status());
    assertTrue(stored(cluster.node(1), "lost-dot").versions().isEmpty(), "node 1 lost its own copy");
    disks[1].failWritesOf(null);

    Reply second;
    try (FaultInjector cut = FaultInjector.cutStorage(cluster.node(1), cluster.node(2).id(), cluster.node(3).id())) {
      second = cluster.http(1).put("/kv/lost-dot?w=1&timeout=1000", "second");
    }
    assertEquals(204, second.status(), second.toString());
    assertNotEquals(actorBefore, cluster.node(1).store().actor(), "a failed write renews the actor");
    Reply third = cluster.http(1).put("/kv/lost-dot?w=3", "third", "X-Context", second.header("X-Context"));
    assertEquals(204, third.status(), third.toString());
    for (int i = 1; i <= 3; i++) {
      Reply r = cluster.http(i).get("/kv/lost-dot?r=3");
      assertEquals(300, r.status(), "node " + i + ": " + r);
      assertEquals(Set.of("first", "third"), SiblingDocs.values(r.json()), "node " + i);
    }
  }

  private static SiblingSet stored(RingkvNode node, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return node.store().read(node.cluster().ring().partitionOf(k), k);
  }
}
