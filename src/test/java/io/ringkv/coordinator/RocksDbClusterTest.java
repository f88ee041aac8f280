package io.ringkv.coordinator;

import java.util.Map;

/** Every cluster test again on RocksDB, with synced writes (its log's write()+fdatasync path). */
class RocksDbClusterTest extends ClusterTest {
  @Override
  Map<String, String> flags() {
    return Map.of("engine", "rocksdb", "durability", "sync");
  }
}
