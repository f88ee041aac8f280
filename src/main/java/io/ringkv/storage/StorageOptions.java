package io.ringkv.storage;

import io.ringkv.config.RingkvConfig;

/**
 * Which engine a node stores its data with, and the sizes it gives it.
 *
 * @param engine {@code leveldb} or {@code rocksdb}
 * @param cacheBytes block cache (both engines)
 * @param writeBufferBytes memtable size (both engines)
 * @param bloomBitsPerKey bloom filter bits per key (RocksDB; LevelDB has no filter)
 */
public record StorageOptions(String engine, long cacheBytes, int writeBufferBytes, int bloomBitsPerKey) {

  public static final String LEVELDB = "leveldb";
  public static final String ROCKSDB = "rocksdb";

  public StorageOptions {
    if (!LEVELDB.equals(engine) && !ROCKSDB.equals(engine)) {
      throw new IllegalArgumentException("engine must be leveldb or rocksdb, got '" + engine + "'");
    }
  }

  /** The node's sizes, with {@code engine} (the configured one, or as {@link StorageEngines#resolve} chose). */
  public static StorageOptions of(RingkvConfig config, String engine) {
    return new StorageOptions(engine, config.cacheBytes(), config.writeBufferBytes(), config.bloomBitsPerKey());
  }

  /** The defaults of every size, for this engine. */
  public static StorageOptions defaults(String engine) {
    return new StorageOptions(engine, RingkvConfig.DEFAULT_CACHE_BYTES, RingkvConfig.DEFAULT_WRITE_BUFFER_BYTES,
        RingkvConfig.DEFAULT_BLOOM_BITS_PER_KEY);
  }

  /** The same sizes with another engine. */
  public StorageOptions withEngine(String other) {
    return new StorageOptions(other, cacheBytes, writeBufferBytes, bloomBitsPerKey);
  }

  LevelDbSettings levelDb() {
    return LevelDbSettings.sized(cacheBytes, writeBufferBytes);
  }

  RocksDbSettings rocksDb() {
    return RocksDbSettings.sized(cacheBytes, writeBufferBytes, bloomBitsPerKey);
  }
}
