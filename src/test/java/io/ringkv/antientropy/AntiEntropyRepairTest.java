package io.ringkv.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.storage.ReplicaStore;
import io.ringkv.testing.AntiEntropyProbe;
import io.ringkv.testing.ClusterFaults;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.Dot;
import io.ringkv.version.RecordDigest;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (two nodes, N=2, hinted handoff off) of 256 partitions holding 100,000 keys, which
 * come to differ in 100 keys written while each side was cut off from the other: one anti-entropy
 * pass leaves them with identical contents (concurrent writes as siblings on both) and equal
 * Merkle roots, and the bytes it exchanged are under 2% of a full copy of the data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AntiEntropyRepairTest {
  private static final int KEYS = 100_000;
  private TestCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(2, dir, Map.of("n", "2", "r", "1", "w", "1", "hinted-handoff", "false",
        "fault-injection", "true", "anti-entropy-interval-ms", "0", "suspect-after-ms", "1000",
        "down-after-ms", "2500", "row-cache-bytes", "8388608"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The same 100,000 keys (one 100-byte version each) on both replicas, written through their stores. */
  private void prefill() throws Exception {
    List<CompletableFuture<Boolean>> writes = new ArrayList<>(2 * KEYS);
    for (int i = 0; i < KEYS; i++) {
      byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
      byte[] value = String.format("%-100s", "value " + i).getBytes(StandardCharsets.UTF_8);
      SiblingSet set = SiblingSet.of(List.of(new Version(new Dot("n1", i + 1), VersionVector.empty(),
          1_700_000_000_000L + i, false, "text/plain", value)));
      for (RingkvNode node : cluster.nodes()) {
        writes.add(node.store().mergeChanged(node.cluster().placement().partitionOf(key), key, set));
        if (writes.size() % 20_000 == 0) {
          CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private void cut(boolean on) {
    for (int i = 1; i <= 2; i++) {
      if (on) {
        ClusterFaults.drop(cluster.http(i), List.of(i == 1 ? "n2" : "n1"));
      } else {
        ClusterFaults.heal(cluster.http(i));
      }
    }
    String status = on ? "down" : "up";
    TestCluster.await(20, "n1 and n2 see each other " + status, () ->
        ClusterFaults.status(cluster.http(1), "n2").equals(status)
            && ClusterFaults.status(cluster.http(2), "n1").equals(status));
  }

  /** Every stored record of every partition: key to versions digest. */
  private static Map<String, Long> contents(RingkvNode node) {
    Map<String, Long> out = new HashMap<>();
    ReplicaStore store = node.store();
    for (int p = 0; p < node.config().partitions(); p++) {
      store.scanPartition(p, null, Integer.MAX_VALUE, Integer.MAX_VALUE).entries().forEach(e -> {
        long digest = RecordDigest.of(e.record()).hash();
        if (digest != 0) {
          out.put(new String(e.key(), StandardCharsets.UTF_8), digest);
        }
      });
    }
    return out;
  }

  /** Keys whose digests differ (or that one side lacks), at most 20 of them. */
  private static List<String> differences(Map<String, Long> a, Map<String, Long> b) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys.stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).limit(20)
        .map(k -> k + ": " + a.get(k) + " vs " + b.get(k)).toList();
  }

  private static long countDifferences(Map<String, Long> a, Map<String, Long> b) {
    java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys.stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).count();
  }

  private static long fullCopyBytes(RingkvNode node) {
    long bytes = 0;
    for (int p = 0; p < node.config().partitions(); p++) {
      bytes += node.store().scanPartition(p, null, Integer.MAX_VALUE, Integer.MAX_VALUE).bytes();
    }
    return bytes;
  }

  @Test
  void onePassRepairsAHundredKeysOfAHundredThousandWithLittleTraffic() throws Exception {
    prefill();
    JsonObject quiet = AntiEntropyProbe.runPass(cluster.http(1), 120);
    assertEquals(0, quiet.getJsonObject("lastPass").getLong("keysReceived"), "equal replicas exchange no keys");
    assertEquals(List.of(), AntiEntropyProbe.divergent(cluster.nodes()));

    cut(true);
    HttpProbe n1 = cluster.http(1);
    HttpProbe n2 = cluster.http(2);
    for (int i = 0; i < 60; i++) {
      assertEquals(204, n1.put("/kv/new-" + i, "written on n1 alone " + i).status());
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(204, n1.delete("/kv/key-" + (1000 + i)).status());
    }
    for (int i = 0; i < 15; i++) {
      assertEquals(204, n2.put("/kv/other-" + i, "written on n2 alone " + i).status());
    }
    for (int i = 0; i < 5; i++) { // concurrent blind writes on both sides: siblings
      assertEquals(204, n1.put("/kv/key-" + (2000 + i), "n1's side").status());
      assertEquals(204, n2.put("/kv/key-" + (2000 + i), "n2's side").status());
    }
    Map<String, Long> before1 = contents(cluster.node(1));
    Map<String, Long> before2 = contents(cluster.node(2));
    assertEquals(100, countDifferences(before1, before2),
        "the replicas differ in 100 keys");
    cut(false);

    long fullCopy = fullCopyBytes(cluster.node(1));
    JsonObject status = AntiEntropyProbe.runPass(n1, 120);
    JsonObject pass = status.getJsonObject("lastPass");
    long bytes = pass.getLong("bytesExchanged");
    System.out.printf("anti-entropy: %d keys, 100 differing: one pass exchanged %d bytes = %.3f%% of a full copy"
        + " (%d bytes) in %d ms, %d partitions differed%n", KEYS, bytes, 100.0 * bytes / fullCopy, fullCopy,
        pass.getLong("durationMs"), pass.getInteger("differing"));

    Map<String, Long> after1 = contents(cluster.node(1));
    Map<String, Long> after2 = contents(cluster.node(2));
    assertEquals(List.of(), differences(after1, after2), "identical contents");
    assertEquals(KEYS + 60 + 15, after1.size(), "every key, tombstones included");
    assertEquals(List.of(), AntiEntropyProbe.divergent(cluster.nodes()), "equal roots");
    assertTrue(bytes < 0.02 * fullCopy, bytes + " bytes exchanged, a full copy is " + fullCopy);
    for (int i = 0; i < 5; i++) {
      for (RingkvNode node : cluster.nodes()) {
        byte[] key = ("key-" + (2000 + i)).getBytes(StandardCharsets.UTF_8);
        // Blind writes supersede nothing: the first value and both concurrent writes are siblings.
        assertEquals(3, node.store().read(node.cluster().placement().partitionOf(key), key).live().size(),
            "both concurrent writes survive on " + node.id());
      }
    }
    assertEquals(404, n2.get("/kv/key-1005?r=1").status(), "the delete reached n2");
    assertEquals("written on n2 alone 3", n1.get("/kv/other-3?r=1").text());
  }
}
