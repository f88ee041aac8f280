package io.ringkv.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@link GroupCommitWriter} batch being applied: the latest value of every key it changed, in
 * first-change order, over what the row cache or the engine held before the batch. Writer thread only.
 */
final class BatchOverlay {
  private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());
  private final StorageEngine engine;
  private final RowCache rowCache;
  final Map<ByteKey, byte[]> dirty = new LinkedHashMap<>();
  final Map<ByteKey, byte[]> read = new HashMap<>();
  Set<ByteKey> plain;

  BatchOverlay(StorageEngine engine, RowCache rowCache) {
    this.engine = engine;
    this.rowCache = rowCache;
  }

  byte[] current(byte[] key) {
    ByteKey k = new ByteKey(key);
    if (dirty.containsKey(k)) {
      return dirty.get(k);
    }
    // Keep what was read too: a second update of an unchanged key must see the same instance.
    return read.computeIfAbsent(k, x -> {
      RowCache.Slot cached = rowCache.lookup(k);
      return cached != null ? cached.record() : engine.get(key);
    });
  }

  void set(byte[] key, byte[] value) {
    dirty.put(new ByteKey(key), value);
  }

  void setPlain(byte[] key, byte[] value) {
    ByteKey k = new ByteKey(key);
    dirty.put(k, value);
    if (plain == null) {
      plain = new HashSet<>();
    }
    plain.add(k);
  }

  /** Tells the observer what each updated key goes from and to (or back, {@code undo}). */
  void report(GroupCommitWriter.ChangeObserver changes, boolean undo) {
    if (changes == null) {
      return;
    }
    dirty.forEach((k, after) -> {
      // An update read its key before changing it; a key that was absent is not in `read` (null).
      if (plain == null || !plain.contains(k)) {
        byte[] before = read.get(k);
        try {
          changes.changing(k.bytes(), undo ? after : before, undo ? before : after);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "change observer failed on key " + GroupCommitWriter.hex(k.bytes()), e);
        }
      }
    });
  }

  void publishTo(RowCache cache) {
    dirty.forEach((k, v) -> {
      if (plain != null && plain.contains(k)) {
        cache.invalidate(k);
      } else {
        cache.committed(k, v);
      }
    });
  }

  List<Mutation> mutations() {
    List<Mutation> out = new ArrayList<>(dirty.size());
    dirty.forEach((k, v) -> out.add(new Mutation(k.bytes(), v)));
    return out;
  }
}
