package io.ringkv.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;

/**
 * In-memory engine for fast tests and simulations: a {@link ConcurrentSkipListMap} ordered by
 * unsigned bytes, like LevelDB. Nothing survives {@link #close()}; {@code sync} is ignored.
 *
 * <p>Batches are atomic for readers through a read-write lock: {@code write} holds the write lock
 * while it applies the batch; {@code scan} copies its range under the read lock (its snapshot)
 * and visits the copy without any lock, so a visitor may write, as with LevelDB's iterators.
 */
public final class MemoryEngine implements StorageEngine {

  private final ConcurrentSkipListMap<byte[], byte[]> map =
      new ConcurrentSkipListMap<>(ByteOrder.UNSIGNED);
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  public MemoryEngine() {}

  @Override
  public byte[] get(byte[] key) {
    checkOpen();
    byte[] value = map.get(key);
    return value == null ? null : value.clone();
  }

  @Override
  public void write(List<Mutation> batch, boolean sync) {
    checkOpen();
    lock.writeLock().lock();
    try {
      for (Mutation m : batch) {
        if (m.isDelete()) {
          map.remove(m.key());
        } else {
          // Copies keep the engine independent of arrays the caller still holds.
          map.put(m.key().clone(), m.value().clone());
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void scan(byte[] fromInclusive, byte[] toExclusive, BiPredicate<byte[], byte[]> visitor) {
    checkOpen();
    if (!ByteOrder.before(fromInclusive, toExclusive)) {
      return;
    }
    List<Map.Entry<byte[], byte[]>> snapshot;
    lock.readLock().lock();
    try {
      snapshot = new ArrayList<>(map.subMap(fromInclusive, true, toExclusive, false).entrySet());
    } finally {
      lock.readLock().unlock();
    }
    for (Map.Entry<byte[], byte[]> e : snapshot) {
      if (!visitor.test(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public void close() {
    closed = true;
    map.clear();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("memory engine is closed");
    }
  }
}
