package io.ringkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.config.ConfigException;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --engine picks the node's storage engine, a data dir keeps its engine, and /metrics shows the engine's meters. */
class StorageEngineChoiceTest {

  /** A small memtable makes tables early; without the row cache every read reaches the engine. */
  private static final Map<String, String> SMALL = Map.of("write-buffer-bytes", "65536", "row-cache-bytes", "0");

  @Test
  void aRocksDbNodeServesDataAndReportsItsBloomFilters(@TempDir Path dir) {
    Map<String, String> flags = new java.util.HashMap<>(SMALL);
    flags.put("engine", "rocksdb");
    RingkvNode node = TestNodes.startSingle("r1", dir, flags);
    try {
      assertEquals("rocksdb", node.store().engine().name());
      HttpProbe http = new HttpProbe(node.httpPort());
      String value = "v".repeat(1000);
      for (int i = 0; i < 400; i++) {
        assertEquals(204, http.put("/kv/present-" + i, value).status());
      }
      TestCluster.await(20, "RocksDB flushed tables", () -> metric(http, "ringkv_storage_table_bytes") > 0);
      for (int i = 0; i < 200; i++) {
        assertEquals(404, http.get("/kv/absent-" + i).status());
      }
      assertEquals(value, http.get("/kv/present-7").text());
      TestCluster.await(10, "the gets gauge counts the reads", () -> metric(http, "ringkv_storage_gets") >= 201);
      double checked = metric(http, "ringkv_storage_bloom_checked");
      double useful = metric(http, "ringkv_storage_bloom_useful");
      assertTrue(checked >= 200 && useful >= 0.9 * checked, "checked " + checked + ", useful " + useful);
      assertTrue(metric(http, "ringkv_storage_table_reads_per_get") < 1, "absent keys skip tables");
      assertTrue(metric(http, "ringkv_storage_user_write_bytes") >= 400 * 1000);
      assertTrue(metric(http, "ringkv_storage_write_amplification") > 0);
      for (String name : new String[] {"ringkv_storage_compaction_pending_bytes", "ringkv_storage_stall_seconds",
          "ringkv_storage_compaction_read_bytes", "ringkv_storage_table_write_bytes"}) {
        assertTrue(metric(http, name) >= 0, name);
      }
    } finally {
      TestNodes.stop(node);
    }
    assertEquals("rocksdb\n", read(dir.resolve("ENGINE")));
  }

  @Test
  void aLevelDbNodeReportsWhatLevelDbHasAndNoBloomFilter(@TempDir Path dir) {
    Map<String, String> flags = new java.util.HashMap<>(SMALL);
    flags.put("engine", "leveldb");
    RingkvNode node = TestNodes.startSingle("l1", dir, flags);
    try {
      assertEquals("leveldb-jni", node.store().engine().name());
      HttpProbe http = new HttpProbe(node.httpPort());
      for (int i = 0; i < 20; i++) {
        assertEquals(204, http.put("/kv/k" + i, "value").status());
        assertEquals(404, http.get("/kv/none" + i).status());
      }
      // The gauges sample the engine at most once a second.
      TestCluster.await(10, "the gets gauge counts 40 engine gets", () -> metric(http, "ringkv_storage_gets") >= 40);
      String metrics = http.get("/metrics").text();
      assertTrue(metric(http, "ringkv_storage_user_write_bytes") > 0);
      assertTrue(metrics.contains("ringkv_storage_table_write_bytes"), "from leveldb.stats");
      assertFalse(metrics.contains("ringkv_storage_bloom"), "LevelDB has no bloom filter to report");
      assertFalse(metrics.contains("ringkv_storage_stall_seconds"));
    } finally {
      TestNodes.stop(node);
    }
  }

  /** Without --engine a new data dir gets RocksDB, and a dir of LevelDB data (as before markers) stays LevelDB. */
  @Test
  void withoutAnEngineANewDirIsRocksDbAndAnExistingOneKeepsItsEngine(@TempDir Path dir) throws Exception {
    RingkvNode node = TestNodes.startSingle("d1", dir.resolve("new"), Map.of());
    try {
      assertEquals("rocksdb", node.store().engine().name());
    } finally {
      TestNodes.stop(node);
    }
    Path old = dir.resolve("old");
    try (io.ringkv.storage.LevelDbEngine leveldb = io.ringkv.storage.LevelDbEngine.open(old.resolve("leveldb"),
        io.ringkv.storage.LevelDbSettings.defaults())) {
      leveldb.write(java.util.List.of(), true);
    }
    node = TestNodes.startSingle("d2", old, Map.of());
    try {
      assertEquals("leveldb-jni", node.store().engine().name());
      assertEquals(204, new HttpProbe(node.httpPort()).put("/kv/k", "v").status());
    } finally {
      TestNodes.stop(node);
    }
    assertEquals("leveldb\n", read(old.resolve("ENGINE")));
  }

  @Test
  void aNodeNeverOpensAnotherEnginesDataDir(@TempDir Path dir) {
    RingkvNode node = TestNodes.startSingle("m1", dir, Map.of("engine", "leveldb"));
    try {
      assertEquals(204, new HttpProbe(node.httpPort()).put("/kv/kept", "leveldb data").status());
    } finally {
      TestNodes.stop(node);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestNodes.startSingle("m1", dir, Map.of("engine", "rocksdb")));
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof ConfigException)) {
      cause = cause.getCause();
    }
    assertTrue(cause instanceof ConfigException, e.toString());
    assertEquals("data dir " + dir + " holds leveldb data but the node is configured with engine rocksdb: "
        + "start it with --engine leveldb, or give it an empty data dir", cause.getMessage());
    assertFalse(Files.exists(dir.resolve("rocksdb")), "the refused engine created nothing");

    node = TestNodes.startSingle("m1", dir, Map.of());
    try {
      assertEquals("leveldb data", new HttpProbe(node.httpPort()).get("/kv/kept").text());
    } finally {
      TestNodes.stop(node);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double metric(HttpProbe http, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$").matcher(http.get("/metrics").text());
    assertTrue(m.find(), "metric " + name + " missing");
    return Double.parseDouble(m.group(2));
  }
}
