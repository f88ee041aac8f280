package io.ringkv.storage;

import java.io.IOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * {@link StorageEngine} on LevelDB, coded against the {@code org.iq80.leveldb} API so that the
 * same code runs on the native engine (leveldbjni, the real C++ LevelDB) or on the pure-Java port.
 *
 * <p>{@link #open} tries leveldbjni first; where its native library cannot load (a platform it
 * does not ship, e.g. linux-aarch64) it falls back to the pure-Java port and logs which one runs.
 * The same directory can be opened by either: the on-disk format is LevelDB's.
 *
 * <p>Durability comes from LevelDB's write-ahead log: a {@code write(batch, sync=true)} fsyncs the
 * log before returning. Group commit ({@link GroupCommitWriter}) makes that affordable by putting
 * many updates into one synced batch.
 *
 * <p>Calling a closed native DB crashes the JVM rather than throwing, so every call holds a read
 * lock and {@link #close()} takes the write lock: close waits for running calls, later calls get
 * an {@link IllegalStateException}.
 *
 * <p>Meters: LevelDB counts nothing per read, so {@link #stats()} reports the gets and written
 * bytes counted here and, from its {@code leveldb.stats} table, table bytes and compaction
 * traffic. It has no bloom filter (neither leveldbjni 1.8 nor the Java port exposes a filter
 * policy), so every level whose key range covers a key costs a table lookup.
 */
public final class LevelDbEngine implements StorageEngine {

  private static final Logger LOG = Logger.getLogger(LevelDbEngine.class.getName());
  static final String JNI = "leveldb-jni";
  static final String JAVA = "leveldb-java";

  private final DB db;
  private final String name;
  private final Path dir;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final ReadOptions scanOptions = new ReadOptions().fillCache(false);
  private final LongAdder gets = new LongAdder();
  private final LongAdder userBytesWritten = new LongAdder();
  private boolean closed; // guarded by lock

  private LevelDbEngine(DB db, String name, Path dir) {
    this.db = db;
    this.name = name;
    this.dir = dir;
  }

  /**
   * Opens (creating if missing) the LevelDB database in {@code dir}: native leveldbjni first, the
   * pure-Java port when the native library cannot be linked.
   *
   * @throws IOException if the database cannot be opened, e.g. another process holds its LOCK
   */
  public static LevelDbEngine open(Path dir, LevelDbSettings settings) throws IOException {
    try {
      return openWith(org.fusesource.leveldbjni.JniDBFactory.factory, JNI, dir, settings);
    } catch (LinkageError e) {
      // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError: no usable native lib.
      LOG.log(Level.WARNING, "leveldbjni unavailable (" + e + "); falling back to pure-Java LevelDB", e);
      return openJava(dir, settings);
    }
  }

  /** Opens with the pure-Java LevelDB port only (fallback, and for tests of that path). */
  public static LevelDbEngine openJava(Path dir, LevelDbSettings settings) throws IOException {
    return openWith(org.iq80.leveldb.impl.Iq80DBFactory.factory, JAVA, dir, settings);
  }

  private static LevelDbEngine openWith(DBFactory factory, String name, Path dir, LevelDbSettings s)
      throws IOException {
    Files.createDirectories(dir);
    Options options = new Options()
        .createIfMissing(true)
        .cacheSize(s.cacheBytes())
        .writeBufferSize(s.writeBufferBytes())
        .blockSize(s.blockSize())
        .compressionType(s.compression() ? CompressionType.SNAPPY : CompressionType.NONE);
    DB db;
    try {
      db = factory.open(dir.toFile(), options);
    } catch (OverlappingFileLockException e) {
      // The pure-Java port reports "already open in this JVM" unchecked; the native one as IOException.
      throw new IOException("LevelDB in " + dir + " is already open in this process", e);
    } catch (DBException e) {
      throw new IOException("cannot open LevelDB in " + dir + ": " + e.getMessage(), e);
    }
    LOG.info(() -> "storage engine " + name + " opened " + dir + " with " + s);
    return new LevelDbEngine(db, name, dir);
  }

  @Override
  public byte[] get(byte[] key) {
    lock.readLock().lock();
    try {
      checkOpen();
      gets.increment();
      return db.get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void write(List<Mutation> batch, boolean sync) {
    lock.readLock().lock();
    try {
      checkOpen();
      writeBatch(batch, sync);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void writeBatch(List<Mutation> batch, boolean sync) {
    try (WriteBatch wb = db.createWriteBatch()) {
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
      db.write(wb, new WriteOptions().sync(sync));
      userBytesWritten.add(bytes);
    } catch (IOException e) {
      // WriteBatch.close() declares IOException; LevelDB reports write errors as DBException.
      throw new DBException(e);
    }
  }

  @Override
  public void scan(byte[] fromInclusive, byte[] toExclusive, BiPredicate<byte[], byte[]> visitor) {
    lock.readLock().lock();
    try {
      checkOpen();
      // An iterator reads from an implicit snapshot; fillCache(false) keeps big scans (Merkle
      // rebuild, handoff) from evicting the hot blocks of point reads.
      try (DBIterator it = db.iterator(scanOptions)) {
        for (it.seek(fromInclusive); it.hasNext(); ) {
          Map.Entry<byte[], byte[]> e = it.next();
          if (!ByteOrder.before(e.getKey(), toExclusive) || !visitor.test(e.getKey(), e.getValue())) {
            return;
          }
        }
      } catch (IOException e) {
        throw new DBException(e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public String name() {
    return name;
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
      LevelDbStatsText.Totals t = LevelDbStatsText.parse(db.getProperty("leveldb.stats"));
      long none = EngineStats.UNREPORTED;
      return new EngineStats(gets.sum(), none, none, none, userBytesWritten.sum(),
          t == null ? none : t.tableBytesWritten(), t == null ? none : t.compactionBytesRead(), none, none,
          t == null ? none : t.tableBytes());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The pure-Java port cannot compact on demand: there it only logs (its background compaction still runs). */
  @Override
  public void compact() {
    lock.readLock().lock();
    try {
      checkOpen();
      // null, null: the whole key space.
      db.compactRange(null, null);
    } catch (UnsupportedOperationException e) {
      LOG.warning(() -> "storage engine " + name + " cannot compact on demand: " + e.getMessage());
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
      db.close();
      LOG.info(() -> "storage engine " + name + " closed " + dir);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing LevelDB in " + dir + " failed", e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("storage engine " + name + " on " + dir + " is closed");
    }
  }
}
