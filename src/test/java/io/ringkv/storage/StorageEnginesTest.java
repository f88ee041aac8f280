package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine marker on real data dirs: written on first open, honoured on every later one. */
class StorageEnginesTest {

  @TempDir
  Path dir;

  private static StorageEngine open(Path dataDir, String engine) throws Exception {
    return StorageEngines.open(dataDir, StorageOptions.defaults(engine));
  }

  @Test
  void aNewDirRecordsItsEngineAndKeepsItsData() throws Exception {
    for (String engine : List.of("leveldb", "rocksdb")) {
      Path data = dir.resolve(engine);
      try (StorageEngine e = open(data, engine)) {
        e.write(List.of(Mutation.put("k".getBytes(UTF_8), "v".getBytes(UTF_8))), true);
      }
      assertEquals(engine + "\n", Files.readString(data.resolve("ENGINE")));
      assertTrue(Files.exists(data.resolve(engine).resolve("CURRENT")), "the database lives in " + engine + "/");
      assertEquals(engine, StorageEngines.engineOf(data));
      try (StorageEngine e = StorageEngines.openExisting(data, StorageOptions.defaults("leveldb"))) {
        assertArrayEquals("v".getBytes(UTF_8), e.get("k".getBytes(UTF_8)));
        assertEquals(engine.equals("rocksdb") ? "rocksdb" : "leveldb-jni", e.name());
      }
    }
  }

  @Test
  void aDirFromBeforeTheMarkerOpensAsLevelDbAndGetsItsMarker() throws Exception {
    try (LevelDbEngine old = LevelDbEngine.open(dir.resolve("leveldb"), LevelDbSettings.defaults())) {
      old.write(List.of(Mutation.put("old".getBytes(UTF_8), "data".getBytes(UTF_8))), true);
    }
    ConfigException e = assertThrows(ConfigException.class, () -> open(dir, "rocksdb").close());
    assertTrue(e.getMessage().contains("holds leveldb data but the node is configured with engine rocksdb"),
        e.getMessage());
    assertTrue(Files.notExists(dir.resolve("rocksdb")), "nothing of the refused engine was created");
    try (StorageEngine e2 = open(dir, "leveldb")) {
      assertArrayEquals("data".getBytes(UTF_8), e2.get("old".getBytes(UTF_8)));
    }
    assertEquals("leveldb\n", Files.readString(dir.resolve("ENGINE")));
  }

  @Test
  void aRocksDbDirIsNeverOpenedAsLevelDb() throws Exception {
    open(dir, "rocksdb").close();
    ConfigException e = assertThrows(ConfigException.class, () -> open(dir, "leveldb").close());
    assertTrue(e.getMessage().contains("start it with --engine rocksdb"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("leveldb")));
  }

  @Test
  void withoutAConfiguredEngineANewDirGetsRocksDbAndAnOldOneKeepsItsOwn() throws Exception {
    assertEquals("rocksdb", StorageEngines.resolve(dir.resolve("new"), null));
    assertEquals("leveldb", StorageEngines.resolve(dir.resolve("new"), "leveldb"), "a configured engine wins");
    open(dir.resolve("old"), "leveldb").close();
    assertEquals("leveldb", StorageEngines.resolve(dir.resolve("old"), null));
    assertEquals("rocksdb", StorageEngines.resolve(dir.resolve("old"), "rocksdb"), "then refused by open");
  }

  @Test
  void openingAnEmptyDirForMaintenanceIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> StorageEngines.openExisting(dir, StorageOptions.defaults("leveldb")));
    assertTrue(e.getMessage().contains("holds no leveldb or rocksdb data"), e.getMessage());
  }
}
