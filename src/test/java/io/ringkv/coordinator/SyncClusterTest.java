package io.ringkv.coordinator;

import java.util.Map;

/**
 * Every cluster test again with {@code durability: sync}, where the coordinating replica
 * replicates a write while its own fsync runs (see {@link SyncReplicationTest}).
 */
class SyncClusterTest extends ClusterTest {
  @Override
  Map<String, String> flags() {
    return Map.of("durability", "sync");
  }
}
