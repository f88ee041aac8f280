package io.ringkv.coordinator;

import java.util.Map;

/**
 * Every cluster test again on LevelDB with synced writes (ClusterTest and SyncClusterTest run on
 * the default engine, RocksDB).
 */
class LevelDbClusterTest extends ClusterTest {
  @Override
  Map<String, String> flags() {
    return Map.of("engine", "leveldb", "durability", "sync");
  }
}
