package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataDirEngineTest {
  private static final Path DIR = Path.of("data/n1");

  private static DataDirEngine.Contents contents(String marker, boolean levelDb, boolean rocksDb) {
    return new DataDirEngine.Contents(marker, levelDb, rocksDb);
  }

  @Test
  void theMarkerDecides() {
    assertEquals("rocksdb", DataDirEngine.existing(DIR, contents("rocksdb\n", false, true)));
    assertEquals("leveldb", DataDirEngine.existing(DIR, contents("leveldb", true, false)));
    // The marker is written before the engine first opens: a dir may have it and no database yet.
    assertEquals("rocksdb", DataDirEngine.existing(DIR, contents("rocksdb", false, false)));
  }

  @Test
  void withoutAMarkerTheDatabaseFoundDecides() {
    assertEquals("leveldb", DataDirEngine.existing(DIR, contents(null, true, false)), "a dir from before markers");
    assertEquals("rocksdb", DataDirEngine.existing(DIR, contents(null, false, true)));
    assertNull(DataDirEngine.existing(DIR, contents(null, false, false)), "a new dir");
  }

  @Test
  void aNewDirTakesTheConfiguredEngineAndAMatchingOneOpens() {
    assertEquals("rocksdb", DataDirEngine.choose(DIR, contents(null, false, false), "rocksdb"));
    assertEquals("leveldb", DataDirEngine.choose(DIR, contents(null, true, false), "leveldb"));
    assertEquals("rocksdb", DataDirEngine.choose(DIR, contents("rocksdb", false, true), "rocksdb"));
  }

  @Test
  void anotherEnginesDataIsRefusedInOneLine() {
    assertRefused("data dir " + DIR + " holds leveldb data but the node is configured with engine rocksdb: "
        + "start it with --engine leveldb, or give it an empty data dir", contents(null, true, false), "rocksdb");
    assertRefused("holds rocksdb data but the node is configured with engine leveldb", contents("rocksdb", false, true),
        "leveldb");
    assertRefused("has an ENGINE file naming 'lmdb', not leveldb or rocksdb", contents("lmdb", true, false), "leveldb");
    assertRefused("holds both leveldb and rocksdb data and no ENGINE file", contents(null, true, true), "leveldb");
  }

  private static void assertRefused(String expected, DataDirEngine.Contents contents, String configured) {
    ConfigException e = assertThrows(ConfigException.class, () -> DataDirEngine.choose(DIR, contents, configured));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
