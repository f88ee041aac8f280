package io.ringkv.storage;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.Slice;
import org.rocksdb.Statistics;
import org.rocksdb.WriteOptions;

/**
 * The native objects one {@link RocksDbEngine} configures its database with. RocksJava frees
 * native memory only on {@code close()}, so they are made once, kept together and closed together
 * after the database.
 */
record RocksDbResources(Options options, Statistics statistics, LRUCache cache, BloomFilter filter,
    WriteOptions syncWrites, WriteOptions asyncWrites) {

  private static final long BYTES_PER_SYNC = 1 << 20;
  private static final long LOG_FILE_BYTES = 8 << 20;

  static RocksDbResources create(RocksDbSettings s) {
    Statistics statistics = new Statistics();
    LRUCache cache = s.cacheBytes() > 0 ? new LRUCache(s.cacheBytes()) : null;
    BloomFilter filter = s.bloomBitsPerKey() > 0 ? new BloomFilter(s.bloomBitsPerKey(), false) : null;
    BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockSize(s.blockSize());
    if (cache != null) {
      // Data blocks only. Index and filter blocks stay with the open tables, as in LevelDB: charged
      // to a 64 MiB cache, the large ones (one per 64 MB table) were evicted by data blocks and
      // read again, which made point reads of a 5M-key data set 7x slower (docs/storage.md).
      table.setBlockCache(cache);
    } else {
      table.setNoBlockCache(true);
    }
    if (filter != null) {
      table.setFilterPolicy(filter);
    }
    Options options = new Options()
        .setCreateIfMissing(true)
        .setTableFormatConfig(table)
        .setWriteBufferSize(s.writeBufferBytes())
        .setCompressionType(s.compression() ? CompressionType.SNAPPY_COMPRESSION : CompressionType.NO_COMPRESSION)
        .setStatistics(statistics)
        // One flush and one compaction at a time: nodes run on small machines beside their peers.
        .setMaxBackgroundJobs(2)
        // Table writes reach the disk in 1 MiB steps instead of one burst at each table's fsync.
        .setBytesPerSync(BYTES_PER_SYNC)
        .setMaxLogFileSize(LOG_FILE_BYTES)
        .setKeepLogFileNum(4);
    return new RocksDbResources(options, statistics, cache, filter, new WriteOptions().setSync(true),
        new WriteOptions().setSync(false));
  }

  /** Read options of one scan, with the upper bound they point to; close both after the scan's iterator. */
  static Scan scan(byte[] toExclusive) {
    Slice bound = new Slice(toExclusive);
    return new Scan(new ReadOptions().setFillCache(false).setIterateUpperBound(bound), bound);
  }

  record Scan(ReadOptions readOptions, Slice upperBound) implements AutoCloseable {
    @Override
    public void close() {
      readOptions.close();
      upperBound.close();
    }
  }

  /** After the database is closed. */
  void close() {
    syncWrites.close();
    asyncWrites.close();
    options.close();
    if (filter != null) {
      filter.close();
    }
    if (cache != null) {
      cache.close();
    }
    statistics.close();
  }
}
