package io.ringkv.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Stored records by engine key, bounded in bytes, always equal to what the engine has committed.
 * A hit answers a read without a LevelDB get and without leaving the caller's thread, so the
 * HTTP event loop can serve it at once; the group-commit writer uses it for its read-modify-write.
 *
 * <p><b>Coherence.</b> A read that follows another must never see an older record, whether each
 * is a hit or goes to the engine. So:
 * <ul>
 *   <li>before the group-commit writer writes a batch, it marks each of its keys in flight
 *       ({@link #beginCommit}): a marker that is a miss for everyone and is never evicted, so from
 *       before the engine has the new record until the cache has it too, every read of the key goes
 *       to the engine;</li>
 *   <li>after the write, and before any future of the batch completes, the writer puts the new
 *       records in ({@link #committed}), or drops the keys ({@link #invalidate}) if the write
 *       failed or it does not cache them; it is the only writer of data keys;</li>
 *   <li>a reader after a miss ({@link #load}) first parks its own placeholder under the key, reads
 *       the engine, and swaps its record in only if its placeholder is still there. A commit that
 *       began in between has replaced the placeholder, so a record that may be older than the
 *       engine's is never cached.</li>
 * </ul>
 * A record is cached as it was encoded; callers must not change the arrays they get or give.
 */
public final class RowCache {
  /** Approximate per-entry overhead on a 64-bit JVM: map node, key and slot objects, array headers. */
  static final int ENTRY_OVERHEAD_BYTES = 120;
  private static final RowCache DISABLED = new RowCache(0);
  private static final Slot IN_FLIGHT = new Slot(null, true);

  private final Cache<ByteKey, Slot> cache;
  private final long maxBytes;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** What the cache knows of a key: its committed record, or that it has none. */
  public static final class Slot {
    private final byte[] record;
    private final boolean placeholder;

    private Slot(byte[] record, boolean placeholder) {
      this.record = record;
      this.placeholder = placeholder;
    }

    /** The committed record, or null: the key has no record. */
    public byte[] record() {
      return record;
    }
  }

  private RowCache(long maxBytes) {
    this.maxBytes = maxBytes;
    // Maintenance (eviction) runs on the calling thread: it is short, and handing it to the
    // common pool would cost a thread wake-up per write.
    this.cache = maxBytes <= 0 ? null : Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        // Weight 0 exempts in-flight markers from eviction (see the class comment).
        .weigher((ByteKey k, Slot s) -> s == IN_FLIGHT ? 0 : weight(k.bytes(), s.record))
        .executor(Runnable::run)
        .build();
  }

  /** A cache of at most {@code maxBytes} (estimated); 0 turns it off. */
  public static RowCache ofBytes(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0");
    }
    return maxBytes == 0 ? DISABLED : new RowCache(maxBytes);
  }

  public static RowCache disabled() {
    return DISABLED;
  }

  public boolean enabled() {
    return cache != null;
  }

  /** Non-blocking: the key's committed state if cached, else null (read the engine, e.g. with {@link #load}). */
  public Slot lookup(byte[] key) {
    return cache == null ? null : lookup(new ByteKey(key));
  }

  Slot lookup(ByteKey key) {
    if (cache == null) {
      return null;
    }
    Slot slot = cache.getIfPresent(key);
    if (slot == null || slot.placeholder) {
      misses.increment();
      return null;
    }
    hits.increment();
    return slot;
  }

  /**
   * Blocking read-through: the cached record, or {@code engineGet}'s, which is then cached unless
   * a commit of the key raced with the read.
   */
  public byte[] load(byte[] key, UnaryOperator<byte[]> engineGet) {
    if (cache == null) {
      return engineGet.apply(key);
    }
    ByteKey k = new ByteKey(key);
    Slot placeholder = new Slot(null, true);
    Slot present = cache.asMap().putIfAbsent(k, placeholder);
    if (present != null && !present.placeholder) {
      return present.record;
    }
    byte[] record = engineGet.apply(key);
    if (present == null) {
      // Fails when a commit (or another reader's placeholder, after an eviction) took the slot.
      cache.asMap().replace(k, placeholder, new Slot(record, false));
    }
    return record;
  }

  /** The writer's hook, before its engine write: {@code key} is about to change. */
  public void beginCommit(byte[] key) {
    beginCommit(new ByteKey(key));
  }

  void beginCommit(ByteKey key) {
    if (cache != null) {
      cache.put(key, IN_FLIGHT);
    }
  }

  /** The writer's hook after its engine write: {@code record} (null = deleted) is committed under {@code key}. */
  public void committed(byte[] key, byte[] record) {
    committed(new ByteKey(key), record);
  }

  void committed(ByteKey key, byte[] record) {
    if (cache != null) {
      cache.put(key, new Slot(record, false));
    }
  }

  /** Forget a key (its write failed, or is not cached); also ends an in-flight commit. */
  public void invalidate(byte[] key) {
    invalidate(new ByteKey(key));
  }

  void invalidate(ByteKey key) {
    if (cache != null) {
      cache.invalidate(key);
    }
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Estimated bytes held now. */
  public long weightedBytes() {
    return cache == null ? 0 : cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Lookups answered from the cache. */
  public long hits() {
    return hits.sum();
  }

  /** Lookups that had to go to the engine. */
  public long misses() {
    return misses.sum();
  }

  /** Runs pending evictions now (tests). */
  void cleanUp() {
    if (cache != null) {
      cache.cleanUp();
    }
  }

  static int weight(byte[] key, byte[] record) {
    long w = (long) ENTRY_OVERHEAD_BYTES + key.length + (record == null ? 0 : record.length);
    return (int) Math.min(Integer.MAX_VALUE, w);
  }
}
