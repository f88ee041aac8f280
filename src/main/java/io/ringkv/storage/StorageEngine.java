package io.ringkv.storage;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * The one narrow interface between ringkv and a sorted byte store: bytes in, bytes out.
 *
 * <p>Everything above it (version merging, hints, Merkle leaves) is encoded into keys and values
 * by {@link KeyLayout} and by the callers' codecs, so an engine knows nothing about ringkv. Keys
 * are ordered as unsigned bytes, lexicographically (LevelDB's default bytewise comparator), which
 * is what makes a partition one contiguous range.
 *
 * <p>Implementations are thread-safe. Calls may block (LevelDB is blocking JNI): never call them
 * on an event-loop thread. Arrays passed in must not be modified afterwards; arrays returned are
 * owned by the caller.
 */
public interface StorageEngine extends AutoCloseable {

  /** Returns the value stored under {@code key}, or {@code null} when absent. */
  byte[] get(byte[] key);

  /**
   * Applies the mutations in list order as one atomic batch: a reader sees all of them or none.
   * With {@code sync} the call returns only after the batch is on stable storage (fsync of the
   * write-ahead log), so it survives a crash of the process and of the machine; without it, it
   * survives a crash of the process only (the OS still holds the data).
   */
  void write(List<Mutation> batch, boolean sync);

  /**
   * Visits keys in [fromInclusive, toExclusive) in unsigned byte order; stops when the visitor
   * returns false. The scan sees a consistent snapshot taken when it starts; the visitor may write
   * to the engine (those writes are not visible to the running scan).
   */
  void scan(byte[] fromInclusive, byte[] toExclusive, BiPredicate<byte[], byte[]> visitor);

  /**
   * "leveldb-jni", "leveldb-java", "rocksdb" or "memory": which implementation actually runs (for
   * logs and metrics).
   */
  String name();

  /**
   * What the engine reports about its own work (reads, filters, compaction), cheap enough to call
   * at every metrics scrape and never blocking on a running call: an engine that is closing, or
   * that exposes nothing, answers {@link EngineStats#NONE} or leaves fields
   * {@link EngineStats#UNREPORTED}.
   */
  default EngineStats stats() {
    return EngineStats.NONE;
  }

  /**
   * Compacts all data now (a full manual compaction) and returns when done: for maintenance tools
   * that measure disk use, never on a serving path. Engines without tables do nothing.
   */
  default void compact() {
    // Nothing to compact.
  }

  /** Releases the engine; later calls fail with {@link IllegalStateException}. Idempotent. */
  @Override
  void close();
}
