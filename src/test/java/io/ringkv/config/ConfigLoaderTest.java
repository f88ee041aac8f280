package io.ringkv.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    RingkvConfig c = ConfigLoader.fromFlags(Map.of());
    assertEquals("n1", c.id());
    assertEquals(8080, c.httpPort());
    assertEquals(5701, c.clusterPort());
    assertEquals(List.of(), c.seeds());
    assertEquals(3, c.n());
    assertEquals(2, c.r());
    assertEquals(2, c.w());
    assertEquals(256, c.partitions());
    assertEquals(RingkvConfig.Durability.ASYNC, c.durability());
    assertEquals("siblings", c.conflicts());
    assertEquals(1024 * 1024, c.maxValueBytes());
    assertEquals(Path.of("data/n1"), c.dataDir());
    assertEquals(64L << 20, c.cacheBytes());
    assertEquals(16 << 20, c.writeBufferBytes());
    assertFalse(c.httpRequestMetrics());
    assertEquals(64L << 20, c.rowCacheBytes());
    assertEquals(25, c.siblingsWarn());
    assertEquals(100, c.maxSiblings());
    assertNull(c.engine(), "unset: a data dir keeps its engine, a new one gets the default");
    assertEquals(10, c.bloomBitsPerKey());
  }

  @Test
  void siblingLimitsComeFromTheFileEnvironmentOrFlags(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, """
        {"limits": {"siblingsWarn": 5, "maxSiblings": 10}}
        """);
    RingkvConfig fromFile = ConfigLoader.load(file, Map.of(), Map.of());
    assertEquals(5, fromFile.siblingsWarn());
    assertEquals(10, fromFile.maxSiblings());
    RingkvConfig fromEnv = ConfigLoader.load(file, Map.of("RINGKV_MAX_SIBLINGS", "20", "RINGKV_SIBLINGS_WARN", "7"),
        Map.of());
    assertEquals(7, fromEnv.siblingsWarn());
    assertEquals(20, fromEnv.maxSiblings());
    RingkvConfig fromFlags = ConfigLoader.load(file, Map.of("RINGKV_MAX_SIBLINGS", "20"),
        Map.of("max-siblings", "30", "siblings-warn", "30"));
    assertEquals(30, fromFlags.siblingsWarn());
    assertEquals(30, fromFlags.maxSiblings());
    Files.writeString(file, """
        {"siblingsWarn": 2, "maxSiblings": 3}
        """);
    assertEquals(3, ConfigLoader.load(file, Map.of(), Map.of()).maxSiblings(), "top-level fields work too");
  }

  @Test
  void theEngineComesFromTheFileEnvironmentOrFlag(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, """
        {"storage": {"engine": "rocksdb", "bloomBitsPerKey": 16}}
        """);
    RingkvConfig fromFile = ConfigLoader.load(file, Map.of(), Map.of());
    assertEquals("rocksdb", fromFile.engine());
    assertEquals(16, fromFile.bloomBitsPerKey());
    assertEquals("leveldb", ConfigLoader.load(file, Map.of("RINGKV_ENGINE", "leveldb"), Map.of()).engine());
    assertEquals(0, ConfigLoader.load(file, Map.of("RINGKV_BLOOM_BITS_PER_KEY", "0"), Map.of()).bloomBitsPerKey());
    assertEquals("rocksdb", ConfigLoader.load(file, Map.of("RINGKV_ENGINE", "leveldb"),
        Map.of("engine", "RocksDB")).engine());
    assertEquals("rocksdb", ConfigLoader.fromFlags(Map.of("engine", "rocksdb")).engine());
  }

  @Test
  void vertxHttpMetersAreSwitchedOnByFileEnvironmentOrFlag(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, """
        {"metrics": {"httpRequests": true}}
        """);
    assertTrue(ConfigLoader.load(file, Map.of(), Map.of()).httpRequestMetrics());
    assertFalse(ConfigLoader.load(file, Map.of("RINGKV_HTTP_REQUEST_METRICS", "false"), Map.of()).httpRequestMetrics());
    assertTrue(ConfigLoader.fromFlags(Map.of("http-request-metrics", "true")).httpRequestMetrics());
    assertMessage("http-request-metrics must be true or false", Map.of("http-request-metrics", "yes"));
  }

  @Test
  void storageTuningComesFromTheFileEnvironmentOrFlags(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, """
        {"storage": {"cacheBytes": 1048576, "writeBufferBytes": 4194304, "rowCacheBytes": 2097152}}
        """);
    RingkvConfig fromFile = ConfigLoader.load(file, Map.of(), Map.of());
    assertEquals(1L << 20, fromFile.cacheBytes());
    assertEquals(2L << 20, fromFile.rowCacheBytes());
    assertEquals(0, ConfigLoader.load(file, Map.of("RINGKV_ROW_CACHE_BYTES", "0"), Map.of()).rowCacheBytes());
    assertEquals(4 << 20, fromFile.writeBufferBytes());
    RingkvConfig fromEnv = ConfigLoader.load(file, Map.of("RINGKV_WRITE_BUFFER_BYTES", "67108864"), Map.of());
    assertEquals(64 << 20, fromEnv.writeBufferBytes());
    assertEquals(0, ConfigLoader.load(file, Map.of(), Map.of("cache-bytes", "0")).cacheBytes());
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, """
        {"id": "from-file", "httpPort": 9001, "n": 5, "r": 3, "w": 3,
         "conflicts": {"mode": "lww"}, "limits": {"maxValueBytes": 2048}, "seeds": ["a:1", "b:2"]}
        """);
    RingkvConfig fileOnly = ConfigLoader.load(file, Map.of(), Map.of());
    assertEquals("from-file", fileOnly.id());
    assertEquals(9001, fileOnly.httpPort());
    assertEquals("lww", fileOnly.conflicts());
    assertEquals(2048, fileOnly.maxValueBytes());
    assertEquals(List.of("a:1", "b:2"), fileOnly.seeds());

    Map<String, String> env = Map.of("RINGKV_HTTP_PORT", "9002", "RINGKV_ID", "from-env");
    RingkvConfig withEnv = ConfigLoader.load(file, env, Map.of());
    assertEquals(9002, withEnv.httpPort());
    assertEquals("from-env", withEnv.id());
    assertEquals(5, withEnv.n(), "the file still fills what env does not set");

    RingkvConfig withFlags = ConfigLoader.load(file, env, Map.of("http-port", "9003", "seeds", ""));
    assertEquals(9003, withFlags.httpPort());
    assertEquals("from-env", withFlags.id());
    assertEquals(List.of(), withFlags.seeds(), "--seeds \"\" means start alone");
  }

  @Test
  void envNamesAreUpperSnakeCaseOfTheFlags() {
    assertEquals("RINGKV_MAX_VALUE_BYTES", ConfigLoader.envName("max-value-bytes"));
    assertTrue(ConfigLoader.flagNames().containsAll(List.of("id", "host", "http-port", "cluster-port", "seeds",
        "data-dir", "n", "r", "w", "partitions", "durability", "conflicts", "hinted-handoff", "max-value-bytes", "dc")));
  }

  @Test
  void badValuesFailWithOneReadableLine(@TempDir Path dir) throws Exception {
    assertMessage("r must be 1..n", Map.of("n", "3", "r", "5"));
    assertMessage("w must be 1..n", Map.of("w", "0"));
    assertMessage("http-port must be an integer", Map.of("http-port", "eighty"));
    assertMessage("durability must be async or sync", Map.of("durability", "maybe"));
    assertMessage("conflicts must be siblings or lww", Map.of("conflicts", "newest"));
    assertMessage("seed 'nohost' must be host:port", Map.of("seeds", "nohost"));
    assertMessage("id must be", Map.of("id", "bad id!"));
    assertMessage("hinted-handoff must be true or false", Map.of("hinted-handoff", "yes"));
    assertMessage("unknown setting --nope", Map.of("nope", "1"));
    assertMessage("write-buffer-bytes must be 65536..1073741824", Map.of("write-buffer-bytes", "1024"));
    assertMessage("row-cache-bytes must be 0..2^40", Map.of("row-cache-bytes", "-1"));
    assertMessage("cache-bytes must be 0..2^40", Map.of("cache-bytes", "-1"));
    assertMessage("siblings-warn must be >= 1", Map.of("siblings-warn", "0"));
    assertMessage("max-siblings (24) must be >= siblings-warn (25)", Map.of("max-siblings", "24"));
    assertMessage("max-siblings must be an integer", Map.of("max-siblings", "lots"));
    assertMessage("engine must be leveldb or rocksdb, got 'lmdb'", Map.of("engine", "lmdb"));
    assertMessage("bloom-bits-per-key must be 0..32, got 33", Map.of("bloom-bits-per-key", "33"));
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{ not json");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(broken, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
  }

  private static void assertMessage(String expected, Map<String, String> flags) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromFlags(flags));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
  }
}
