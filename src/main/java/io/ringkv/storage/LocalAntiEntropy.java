package io.ringkv.storage;

import io.ringkv.merkle.KeyHashes;
import io.ringkv.merkle.PartitionTrees;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.messaging.PartitionPage;
import io.ringkv.version.RecordDigest;
import io.ringkv.version.SiblingSetCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's replica as anti-entropy sees it ({@link AntiEntropyReplica}): the Merkle trees,
 * which it keeps current by observing the group-commit writer (every data record an update
 * changes, before the batch is written), and range scans of a partition's contiguous key range.
 */
public final class LocalAntiEntropy implements AntiEntropyReplica {
  private static final Logger LOG = Logger.getLogger(LocalAntiEntropy.class.getName());
  static final int BUILD_PAGE_KEYS = 2_048;
  /** From this many keys in order on, records are read with one range scan instead of a get each. */
  static final int SCAN_FOR_KEYS = 32;
  private static final int USER_KEY_OFFSET = 5; // after the tag and the partition

  private final ReplicaStore store;
  private final PartitionTrees trees;

  /** Starts following every change of the store's data records (call before traffic reaches it). */
  public LocalAntiEntropy(ReplicaStore store, PartitionTrees trees) {
    this.store = store;
    this.trees = trees;
    store.writer().observe((key, before, after) -> {
      if (KeyLayout.isDataKey(key)) {
        trees.changing(KeyLayout.partitionOf(key), key, USER_KEY_OFFSET, before, after);
      }
    });
  }

  @Override
  public PartitionTrees trees() {
    return trees;
  }

  @Override
  public long buildTree(int partition) {
    PartitionTrees.Build build = trees.startBuild(partition);
    // Every change announced before the build started must be in LevelDB before the first page
    // is read: a no-op through the writer completes after the batch that may still hold one.
    store.writer().write(List.of()).join();
    long[] scanned = {0};
    byte[][] after = {null};
    boolean[] stale = {false};
    while (true) {
      int[] inPage = {0};
      scanFrom(partition, after[0], (key, record) -> {
        byte[] userKey = KeyLayout.userKeyOf(key);
        if (!visit(build, userKey, record)) {
          stale[0] = true;
          return false;
        }
        after[0] = userKey;
        scanned[0]++;
        return ++inPage[0] < BUILD_PAGE_KEYS;
      });
      if (stale[0]) {
        return -1;
      }
      if (inPage[0] < BUILD_PAGE_KEYS) {
        build.finish();
        return scanned[0];
      }
    }
  }

  @Override
  public DigestPage digests(int partition, int[] leaves, byte[] after, int maxKeys) {
    List<KeyDigest> keys = new ArrayList<>();
    boolean[] more = {false};
    scanFrom(partition, after, (key, record) -> {
      if (keys.size() >= maxKeys) {
        more[0] = true;
        return false;
      }
      long keyHash = KeyHashes.keyHash(key, USER_KEY_OFFSET, key.length - USER_KEY_OFFSET);
      if (leaves == null || Arrays.binarySearch(leaves, trees.shape().leafOf(keyHash)) >= 0) {
        long digest = digestOf(record).hash();
        if (digest != 0) {
          keys.add(new KeyDigest(KeyLayout.userKeyOf(key), digest));
        }
      }
      return true;
    });
    return new DigestPage(keys, !more[0]);
  }

  @Override
  public List<PartitionPage.Entry> records(int partition, List<byte[]> keys) {
    if (keys.size() >= SCAN_FOR_KEYS && sorted(keys)) {
      return recordsByScan(partition, keys);
    }
    List<PartitionPage.Entry> out = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      byte[] record = store.rowCache().load(KeyLayout.dataKey(partition, key), store.engine()::get);
      if (!digestOf(record).absent()) {
        out.add(new PartitionPage.Entry(key, record));
      }
    }
    return out;
  }

  /**
   * Many keys in key order (a refill pulls whole pages of a partition): one range scan from the
   * first to the last is far cheaper than a LevelDB get per key.
   */
  private List<PartitionPage.Entry> recordsByScan(int partition, List<byte[]> keys) {
    List<PartitionPage.Entry> out = new ArrayList<>(keys.size());
    byte[] last = KeyLayout.dataKey(partition, keys.get(keys.size() - 1));
    int[] next = {0};
    store.engine().scan(KeyLayout.dataKey(partition, keys.get(0)), Arrays.copyOf(last, last.length + 1), (k, v) -> {
      byte[] userKey = KeyLayout.userKeyOf(k);
      while (next[0] < keys.size() && Arrays.compareUnsigned(keys.get(next[0]), userKey) < 0) {
        next[0]++;
      }
      if (next[0] < keys.size() && Arrays.equals(keys.get(next[0]), userKey)) {
        if (!digestOf(v).absent()) {
          out.add(new PartitionPage.Entry(userKey, v));
        }
        next[0]++;
      }
      return next[0] < keys.size();
    });
    return out;
  }

  private static boolean sorted(List<byte[]> keys) {
    for (int i = 1; i < keys.size(); i++) {
      if (Arrays.compareUnsigned(keys.get(i - 1), keys.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long[] digestsOf(int partition, List<byte[]> keys) {
    long[] out = new long[keys.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = digestOf(store.rowCache().load(KeyLayout.dataKey(partition, keys.get(i)), store.engine()::get)).hash();
    }
    return out;
  }

  @Override
  public CompletableFuture<Integer> merge(int partition, List<PartitionPage.Entry> records) {
    AtomicInteger changed = new AtomicInteger();
    CompletableFuture<?>[] merges = new CompletableFuture<?>[records.size()];
    for (int i = 0; i < merges.length; i++) {
      PartitionPage.Entry e = records.get(i);
      merges[i] = store.mergeChanged(partition, e.key(), SiblingSetCodec.decode(e.record()))
          .thenAccept(c -> changed.addAndGet(c ? 1 : 0));
    }
    return CompletableFuture.allOf(merges).thenApply(v -> changed.get());
  }

  @Override
  public DigestPage tombstones(int partition, long notAfterMs, byte[] after, int maxKeys) {
    List<KeyDigest> keys = new ArrayList<>();
    boolean[] more = {false};
    scanFrom(partition, after, (key, record) -> {
      if (keys.size() >= maxKeys) {
        more[0] = true;
        return false;
      }
      RecordDigest d = digestOf(record);
      if (d.tombstonesOnly() && d.newestTimestampMs() <= notAfterMs) {
        keys.add(new KeyDigest(KeyLayout.userKeyOf(key), d.hash()));
      }
      return true;
    });
    return new DigestPage(keys, !more[0]);
  }

  @Override
  public CompletableFuture<Integer> reap(int partition, List<KeyDigest> keys) {
    AtomicInteger removed = new AtomicInteger();
    CompletableFuture<?>[] updates = new CompletableFuture<?>[keys.size()];
    for (int i = 0; i < updates.length; i++) {
      KeyDigest k = keys.get(i);
      boolean[] gone = {false};
      updates[i] = store.writer().update(KeyLayout.dataKey(partition, k.key()), old -> {
        RecordDigest d = digestOf(old);
        if (old == null || d.hash() != k.digest() || !d.tombstonesOnly()) {
          return old;
        }
        gone[0] = true;
        return null;
      }).thenAccept(v -> removed.addAndGet(gone[0] ? 1 : 0));
    }
    return CompletableFuture.allOf(updates).thenApply(v -> removed.get());
  }

  /** Visits the partition's records after user key {@code after} (null: from the first), in key order. */
  private void scanFrom(int partition, byte[] after, BiPredicate<byte[], byte[]> visitor) {
    byte[] from = KeyLayout.partitionStart(partition);
    if (after != null) {
      byte[] key = KeyLayout.dataKey(partition, after);
      from = Arrays.copyOf(key, key.length + 1); // the smallest key after it
    }
    store.engine().scan(from, KeyLayout.partitionEnd(partition), visitor);
  }

  /** A record that does not decode counts as no record (logged): it must not stop a whole scan. */
  private static RecordDigest digestOf(byte[] record) {
    try {
      return RecordDigest.of(record);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "a stored record does not decode; anti-entropy treats it as missing", e);
      return RecordDigest.ABSENT;
    }
  }

  private static boolean visit(PartitionTrees.Build build, byte[] userKey, byte[] record) {
    try {
      return build.visit(userKey, record);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "a stored record does not decode; its key counts as missing in the Merkle tree", e);
      return build.visit(userKey, null);
    }
  }
}
