package io.ringkv.storage;

import io.ringkv.config.RingkvConfig;

/**
 * RocksDB tuning for one node's data directory. The sizes mean what they mean for LevelDB
 * ({@link LevelDbSettings}), so one configuration serves either engine.
 *
 * @param cacheBytes LRU block cache for data blocks (default 64 MiB, off the Java heap). Index and
 *     filter blocks stay in memory with the open tables, as in LevelDB: about 1.25 bytes of filter
 *     per key at 10 bits, plus the index.
 * @param writeBufferBytes memtable size before it is flushed to a level-0 table (default 16 MiB).
 * @param blockSize uncompressed size of a table block (default 4 KiB, as for LevelDB).
 * @param compression Snappy compression of blocks (default on; the same codec as LevelDB, so disk
 *     figures compare the engines rather than codecs).
 * @param bloomBitsPerKey bits per key of the table bloom filters (default 10: about 1% false
 *     positives). More bits, fewer wasted table reads for absent keys and more filter memory;
 *     0 turns the filters off.
 */
public record RocksDbSettings(long cacheBytes, int writeBufferBytes, int blockSize, boolean compression,
    int bloomBitsPerKey) {

  public static final int DEFAULT_BLOOM_BITS_PER_KEY = RingkvConfig.DEFAULT_BLOOM_BITS_PER_KEY;

  public RocksDbSettings {
    LevelDbSettings.requireValidSizes(cacheBytes, writeBufferBytes, blockSize);
    if (bloomBitsPerKey < 0 || bloomBitsPerKey > RingkvConfig.MAX_BLOOM_BITS_PER_KEY) {
      throw new IllegalArgumentException("bloomBitsPerKey must be 0.." + RingkvConfig.MAX_BLOOM_BITS_PER_KEY
          + ", got " + bloomBitsPerKey);
    }
  }

  public static RocksDbSettings defaults() {
    return sized(LevelDbSettings.DEFAULT_CACHE_BYTES, LevelDbSettings.DEFAULT_WRITE_BUFFER_BYTES,
        DEFAULT_BLOOM_BITS_PER_KEY);
  }

  /** The values operators tune (node configuration), the defaults for the rest. */
  public static RocksDbSettings sized(long cacheBytes, int writeBufferBytes, int bloomBitsPerKey) {
    return new RocksDbSettings(cacheBytes, writeBufferBytes, LevelDbSettings.DEFAULT_BLOCK_SIZE,
        LevelDbSettings.DEFAULT_COMPRESSION, bloomBitsPerKey);
  }
}
