package io.ringkv.storage;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Unique, ever-increasing counters per node (the counter half of a dot) that survive restarts
 * and {@code kill -9} without ever reusing a value.
 *
 * <p>Syncing the counter on every increment would cost an fsync per write, so the counter is
 * leased in blocks: the meta key {@code KeyLayout.metaKey(name)} holds the highest value that may
 * have been handed out (8 bytes, big-endian). To hand out [stored+1 .. stored+leaseSize], the
 * lease first SYNC-writes stored+leaseSize, then hands the values out from memory. After a crash
 * the next lease starts above everything the previous process could have used; the unused rest of
 * a block is skipped (gaps are harmless, reuse is not).
 *
 * <p>One {@code CounterLease} per name per engine, and nothing else writes its meta key. The renewal
 * writes the engine directly (not through {@link GroupCommitWriter}) because it must be synced
 * before {@link #next()} returns, whatever the writer's sync mode.
 */
public final class CounterLease {

  private final StorageEngine engine;
  private final byte[] metaKey;
  private final long leaseSize;
  private long next;  // next value to hand out; guarded by this
  private long limit; // highest value reserved on disk; guarded by this

  /**
   * Reads the stored limit and reserves the first block with a synced write before returning.
   *
   * @throws IllegalArgumentException if leaseSize < 1 or the stored value is not 8 bytes
   */
  public CounterLease(StorageEngine engine, String name, long leaseSize) {
    if (leaseSize < 1) {
      throw new IllegalArgumentException("leaseSize must be >= 1, got " + leaseSize);
    }
    this.engine = Objects.requireNonNull(engine, "engine");
    this.metaKey = KeyLayout.metaKey(name);
    this.leaseSize = leaseSize;
    long stored = decode(engine.get(metaKey), name);
    this.next = stored + 1;
    this.limit = stored;
    renew();
  }

  /** Returns a value greater than every value handed out before, in this or any earlier process. */
  public synchronized long next() {
    if (next > limit) {
      renew();
    }
    return next++;
  }

  /** The value the next call to {@link #next()} will return. */
  public synchronized long peek() {
    return next;
  }

  private void renew() {
    long newLimit = Math.addExact(limit, leaseSize);
    engine.write(List.of(Mutation.put(metaKey, encode(newLimit))), true);
    limit = newLimit; // only after the sync: a crash before it must not leave values unreserved
  }

  private static long decode(byte[] stored, String name) {
    if (stored == null) {
      return 0;
    }
    if (stored.length != Long.BYTES) {
      throw new IllegalArgumentException("counter " + name + " holds " + stored.length + " bytes, expected 8");
    }
    return ByteBuffer.wrap(stored).getLong();
  }

  private static byte[] encode(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
