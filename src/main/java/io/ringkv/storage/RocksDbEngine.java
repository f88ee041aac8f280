package io.ringkv.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;

/**
 * {@link StorageEngine} on RocksDB (rocksdbjni): LevelDB's design with a bloom filter per table on
 * the read path (a point read of a key a table cannot hold skips that table), a log written with
 * write() and synced with fdatasync, and statistics.
 *
 * <p>Native handles outlive nothing: like {@link LevelDbEngine}, every call holds a read lock and
 * {@link #close()} takes the write lock, so close waits for running calls and later calls get an
 * {@link IllegalStateException} instead of touching freed memory.
 *
 * <p>Meters come from RocksDB's own statistics (tickers read at scrape time, never per request);
 * "table reads" are the tables whose filter let a point read through, which is every table a read
 * looked into while filters are on.
 */
public final class RocksDbEngine implements StorageEngine {

  private static final Logger LOG = Logger.getLogger(RocksDbEngine.class.getName());
  static final String NAME = "rocksdb";

  private final RocksDB db;
  private final RocksDbResources resources;
  private final Statistics statistics;
  private final boolean bloom;
  private final Path dir;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final LongAdder gets = new LongAdder();
  private final LongAdder userBytesWritten = new LongAdder();
  private boolean closed; // guarded by lock

  private RocksDbEngine(RocksDB db, RocksDbResources resources, boolean bloom, Path dir) {
    this.db = db;
    this.resources = resources;
    this.statistics = resources.statistics();
    this.bloom = bloom;
    this.dir = dir;
  }

  /**
   * Opens (creating if missing) the RocksDB database in {@code dir}.
   *
   * @throws IOException if it cannot be opened, e.g. another process (or engine) holds its LOCK
   */
  public static RocksDbEngine open(Path dir, RocksDbSettings settings) throws IOException {
    Files.createDirectories(dir);
    RocksDB.loadLibrary();
    RocksDbResources resources = RocksDbResources.create(settings);
    try {
      RocksDB db = RocksDB.open(resources.options(), dir.toString());
      LOG.info(() -> "storage engine " + NAME + " opened " + dir + " with " + settings);
      return new RocksDbEngine(db, resources, settings.bloomBitsPerKey() > 0, dir);
    } catch (RocksDBException e) {
      resources.close();
      throw new IOException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether RocksDB's native library loads on this platform (the jar carries Linux x86_64 and aarch64). */
  public static boolean nativeLibraryLoads() {
    try {
      RocksDB.loadLibrary();
      return true;
    } catch (LinkageError | RuntimeException e) {
      LOG.warning(() -> "RocksDB's native library does not load here (" + e + "); new data dirs use LevelDB");
      return false;
    }
  }

  @Override
  public byte[] get(byte[] key) {
    lock.readLock().lock();
    try {
      checkOpen();
      gets.increment();
      return db.get(key);
    } catch (RocksDBException e) {
      throw failure("read", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void write(List<Mutation> batch, boolean sync) {
    lock.readLock().lock();
    try (WriteBatch wb = new WriteBatch()) {
      checkOpen();
      long bytes = 0;
      for (Mutation m : batch) {
        if (m.isDelete()) {
          wb.delete(m.key());
          bytes += m.key().length;
        } else {
          wb.put(m.key(), m.value());
          bytes += m.key().length + m.value().length;
        }
      }
      db.write(sync ? resources.syncWrites() : resources.asyncWrites(), wb);
      userBytesWritten.add(bytes);
    } catch (RocksDBException e) {
      throw failure("write", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void scan(byte[] fromInclusive, byte[] toExclusive, BiPredicate<byte[], byte[]> visitor) {
    lock.readLock().lock();
    // The iterator reads from an implicit snapshot; the upper bound keeps it from stepping into
    // the next range's tables, and fillCache(false) keeps big scans (Merkle rebuild, handoff) from
    // evicting the hot blocks of point reads.
    try (RocksDbResources.Scan options = RocksDbResources.scan(toExclusive);
        RocksIterator it = openIterator(options)) {
      for (it.seek(fromInclusive); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!ByteOrder.before(key, toExclusive) || !visitor.test(key, it.value())) {
          return;
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw failure("scan", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private RocksIterator openIterator(RocksDbResources.Scan options) {
    checkOpen();
    return db.newIterator(options.readOptions());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Never waits: while {@link #close()} holds the lock (or after it) it answers {@link EngineStats#NONE}. */
  @Override
  public EngineStats stats() {
    if (!lock.readLock().tryLock()) {
      return EngineStats.NONE;
    }
    try {
      if (closed) {
        return EngineStats.NONE;
      }
      long useful = ticker(TickerType.BLOOM_FILTER_USEFUL);
      long passed = ticker(TickerType.BLOOM_FILTER_FULL_POSITIVE);
      long none = EngineStats.UNREPORTED;
      return new EngineStats(gets.sum(), bloom ? passed : none, bloom ? useful + passed : none,
          bloom ? useful : none, userBytesWritten.sum(),
          ticker(TickerType.FLUSH_WRITE_BYTES) + ticker(TickerType.COMPACT_WRITE_BYTES),
          ticker(TickerType.COMPACT_READ_BYTES), property("rocksdb.estimate-pending-compaction-bytes"),
          ticker(TickerType.STALL_MICROS), property("rocksdb.live-sst-files-size"));
    } finally {
      lock.readLock().unlock();
    }
  }

  private long ticker(TickerType type) {
    return statistics.getTickerCount(type);
  }

  private long property(String name) {
    try {
      return db.getLongProperty(name);
    } catch (RocksDBException e) {
      return EngineStats.UNREPORTED;
    }
  }

  @Override
  public void compact() {
    lock.readLock().lock();
    try {
      checkOpen();
      db.compactRange();
    } catch (RocksDBException e) {
      throw failure("compaction", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The directory this engine was opened on. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        db.closeE();
        LOG.info(() -> "storage engine " + NAME + " closed " + dir);
      } catch (RocksDBException e) {
        LOG.log(Level.WARNING, "closing RocksDB in " + dir + " failed", e);
      }
      resources.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("storage engine " + NAME + " on " + dir + " is closed");
    }
  }

  private UncheckedIOException failure(String what, RocksDBException e) {
    return new UncheckedIOException(new IOException("RocksDB " + what + " in " + dir + " failed: " + e.getMessage(), e));
  }
}
