package io.ringkv.storage;

import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Hints: versions this node keeps for a home replica that was down when they were written
 * (sloppy quorum), under {@code [0x02][target][partition][key]} in the same LevelDB, written
 * through the same group-commit writer as the data, so they are as durable as the data. The
 * versions one target gets for one key are one sibling set, merged as replicas merge.
 *
 * <p>Bounded: hints above {@code maxBytes} (key and record bytes) are dropped and counted; the
 * target then misses them until anti-entropy repairs it. A hint is deleted only once its target
 * has merged it, and only if nothing new arrived for it meanwhile.
 */
public final class HintStore {
  private static final Logger LOG = Logger.getLogger(HintStore.class.getName());
  private static final long DROP_LOG_QUIET_NANOS = 60_000_000_000L;

  private final StorageEngine engine;
  private final GroupCommitWriter writer;
  private final RowCache rowCache;
  private final ConflictMode mode;
  private final long maxBytes;
  private final Map<String, AtomicLong> pendingVersions = new ConcurrentHashMap<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final LongAdder stored = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private long lastDropNanos = System.nanoTime() - DROP_LOG_QUIET_NANOS; // writer thread only

  /** One key's hint for one target. */
  public record Hint(String target, int partition, byte[] key, SiblingSet siblings) {}

  /** What a merge into the hints did: stored (or already held), or dropped at the bound. */
  public enum Outcome { STORED, DROPPED }

  HintStore(StorageEngine engine, GroupCommitWriter writer, RowCache rowCache, ConflictMode mode, long maxBytes) {
    this.engine = engine;
    this.writer = writer;
    this.rowCache = rowCache;
    this.mode = mode;
    this.maxBytes = maxBytes;
    countExisting();
  }

  /** Merges {@code incoming} into the hint kept for {@code target} under the key. */
  public CompletableFuture<Outcome> merge(String target, int partition, byte[] key, SiblingSet incoming) {
    byte[] hintKey = KeyLayout.hintKey(target, partition, key);
    Outcome[] outcome = {Outcome.STORED};
    long[] change = new long[2]; // versions, bytes: undone if the batch fails
    return writer.update(hintKey, old -> {
      SiblingSet current = decode(old);
      SiblingSet merged = current.merge(incoming, mode);
      if (old != null && merged.sameVersionsAs(current)) {
        return old;
      }
      byte[] record = SiblingSetCodec.encode(merged);
      long bytes = record.length - (old == null ? -hintKey.length : old.length);
      if (pendingBytes.get() + bytes > maxBytes) {
        outcome[0] = Outcome.DROPPED;
        countDrop(target);
        return old;
      }
      change[0] = merged.versions().size() - current.versions().size();
      change[1] = bytes;
      account(target, change[0], change[1]);
      return record;
    }).handle((ignored, err) -> {
      if (err != null) {
        account(target, -change[0], -change[1]);
        throw err instanceof RuntimeException re ? re : new IllegalStateException(err);
      }
      stored.add(Math.max(0, change[0]));
      return outcome[0];
    });
  }

  /** The hint kept for {@code target} under the key (empty if none). Blocking on a cache miss. */
  public SiblingSet read(String target, int partition, byte[] key) {
    return decode(rowCache.load(KeyLayout.hintKey(target, partition, key), engine::get));
  }

  /** Up to {@code max} hints for {@code target} in key order after {@code after} (null: from the first). Blocking. */
  public List<Hint> page(String target, Hint after, int max) {
    byte[] from = after == null ? KeyLayout.hintPrefix(target)
        : successor(KeyLayout.hintKey(target, after.partition(), after.key()));
    List<Hint> hints = new ArrayList<>(Math.min(max, 1024));
    engine.scan(from, KeyLayout.hintPrefixEnd(target), (k, v) -> {
      hints.add(new Hint(target, KeyLayout.hintPartitionOf(k), KeyLayout.hintUserKeyOf(k), SiblingSetCodec.decode(v)));
      return hints.size() < max;
    });
    return hints;
  }

  /**
   * Deletes the hint once its target has merged it, unless it changed since it was read (a newer
   * write arrived for the same key): then it stays and is delivered again.
   */
  public CompletableFuture<Boolean> deleteDelivered(Hint hint) {
    return deleteIfUnchanged(hint, delivered);
  }

  private CompletableFuture<Boolean> deleteIfUnchanged(Hint hint, LongAdder outcome) {
    byte[] hintKey = KeyLayout.hintKey(hint.target(), hint.partition(), hint.key());
    boolean[] deleted = {false};
    long[] change = new long[2];
    return writer.update(hintKey, old -> {
      if (old == null || !decode(old).sameVersionsAs(hint.siblings())) {
        return old;
      }
      deleted[0] = true;
      change[0] = -hint.siblings().versions().size();
      change[1] = -(old.length + hintKey.length);
      account(hint.target(), change[0], change[1]);
      return null;
    }).handle((ignored, err) -> {
      if (err != null) {
        account(hint.target(), -change[0], -change[1]);
        throw err instanceof RuntimeException re ? re : new IllegalStateException(err);
      }
      if (deleted[0]) {
        outcome.add(hint.siblings().versions().size());
      }
      return deleted[0];
    });
  }

  /**
   * Drops a hint that waited longer than the tombstone grace period (its newest version is older):
   * by then anti-entropy has given its home what the other homes hold, and delivering it could
   * only bring back a version whose tombstone was garbage-collected meanwhile. Counted as dropped.
   * Only if it did not change since it was read.
   */
  public CompletableFuture<Boolean> expire(Hint hint) {
    return deleteIfUnchanged(hint, dropped);
  }

  /** Hint versions held per target node (targets with none are left out). */
  public Map<String, Long> pending() {
    Map<String, Long> out = new TreeMap<>();
    pendingVersions.forEach((target, n) -> {
      if (n.get() > 0) {
        out.put(target, n.get());
      }
    });
    return out;
  }

  public long pendingBytes() {
    return pendingBytes.get();
  }

  /** Hint versions added since this process started. */
  public long stored() {
    return stored.sum();
  }

  /** Hint versions delivered to their targets (and deleted here) since this process started. */
  public long delivered() {
    return delivered.sum();
  }

  /** Hint versions dropped at the bound since this process started. */
  public long dropped() {
    return dropped.sum();
  }

  public long maxBytes() {
    return maxBytes;
  }

  private void account(String target, long versions, long bytes) {
    pendingVersions.computeIfAbsent(target, t -> new AtomicLong()).addAndGet(versions);
    pendingBytes.addAndGet(bytes);
  }

  /** Counts a drop; logs once per burst (a drop after a quiet minute starts one). */
  private void countDrop(String target) {
    dropped.increment();
    long now = System.nanoTime();
    if (now - lastDropNanos >= DROP_LOG_QUIET_NANOS) {
      LOG.warning("hint storage is full (" + pendingBytes.get() + " of " + maxBytes + " bytes): dropping hints"
          + " (first for " + target + ", " + dropped.sum() + " dropped since start); those replicas miss the"
          + " writes until anti-entropy repairs them");
    }
    lastDropNanos = now;
  }

  /** Startup: what earlier runs left behind (hints survive restarts). */
  private void countExisting() {
    engine.scan(new byte[] {KeyLayout.HINT}, new byte[] {(byte) (KeyLayout.HINT + 1)}, (k, v) -> {
      account(KeyLayout.hintTargetOf(k), SiblingSetCodec.decode(v).versions().size(), k.length + v.length);
      return true;
    });
  }

  /** The smallest key after {@code key}: the key with a zero byte appended. */
  private static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  private static SiblingSet decode(byte[] record) {
    return record == null ? SiblingSet.empty() : SiblingSetCodec.decode(record);
  }
}
