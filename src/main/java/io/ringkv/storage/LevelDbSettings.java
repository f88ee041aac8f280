package io.ringkv.storage;

import io.ringkv.config.RingkvConfig;

/**
 * LevelDB tuning for one node's data directory.
 *
 * @param cacheBytes LRU block cache for reads (default 64 MiB). Larger keeps more hot blocks in
 *     memory; it is off-heap with leveldb-jni, on-heap with the pure-Java fallback.
 * @param writeBufferBytes memtable size before it is flushed to a level-0 table (default 16 MiB).
 *     Larger absorbs write bursts and makes fewer, bigger tables, at the cost of memory and of a
 *     longer log replay after a crash.
 * @param blockSize uncompressed size of a table block (default 4 KiB, LevelDB's own default).
 *     Small blocks suit point reads of small values, which is our workload.
 * @param compression Snappy compression of blocks (default on): cheap CPU, less disk and I/O.
 *     The pure-Java fallback writes uncompressed blocks when no Snappy library is available.
 */
public record LevelDbSettings(long cacheBytes, int writeBufferBytes, int blockSize, boolean compression) {

  public static final long DEFAULT_CACHE_BYTES = RingkvConfig.DEFAULT_CACHE_BYTES;
  public static final int DEFAULT_WRITE_BUFFER_BYTES = RingkvConfig.DEFAULT_WRITE_BUFFER_BYTES;
  public static final int DEFAULT_BLOCK_SIZE = 4 << 10;
  public static final boolean DEFAULT_COMPRESSION = true;
  public static final int MIN_WRITE_BUFFER_BYTES = RingkvConfig.MIN_WRITE_BUFFER_BYTES;

  public LevelDbSettings {
    requireValidSizes(cacheBytes, writeBufferBytes, blockSize);
  }

  /** The rules for the sizes both engines take (also {@link RocksDbSettings}). */
  static void requireValidSizes(long cacheBytes, int writeBufferBytes, int blockSize) {
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("cacheBytes must be >= 0, got " + cacheBytes);
    }
    if (writeBufferBytes < MIN_WRITE_BUFFER_BYTES) {
      throw new IllegalArgumentException("writeBufferBytes must be >= 64 KiB, got " + writeBufferBytes);
    }
    if (blockSize < 1 << 10 || blockSize > 4 << 20) {
      throw new IllegalArgumentException("blockSize must be within 1 KiB..4 MiB, got " + blockSize);
    }
  }

  public static LevelDbSettings defaults() {
    return sized(DEFAULT_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES);
  }

  /** The two sizes operators tune (node configuration), LevelDB's defaults for the rest. */
  public static LevelDbSettings sized(long cacheBytes, int writeBufferBytes) {
    return new LevelDbSettings(cacheBytes, writeBufferBytes, DEFAULT_BLOCK_SIZE, DEFAULT_COMPRESSION);
  }
}
