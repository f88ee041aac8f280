package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.merkle.PartitionTrees;
import io.ringkv.merkle.TreeShape;
import io.ringkv.messaging.AntiEntropyReplica.DigestPage;
import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import io.ringkv.messaging.PartitionPage;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.Dot;
import io.ringkv.version.RecordDigest;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anti-entropy's view of a real LevelDB replica: trees kept by writes and rebuilt by scans, listings, reads, reaps. */
class LocalAntiEntropyTest {
  private static final TreeShape SHAPE = new TreeShape(4, 2);
  @TempDir
  Path dir;

  private static byte[] key(int i) {
    return String.format("key-%03d", i).getBytes(StandardCharsets.UTF_8);
  }

  private static SiblingSet live(int i) {
    return SiblingSet.of(List.of(new Version(new Dot("n1", i + 1), VersionVector.empty(), 1_000 + i, false, "t",
        ("v" + i).getBytes(StandardCharsets.UTF_8))));
  }

  private ReplicaStore open() throws Exception {
    return new ReplicaStore("n1", LevelDbEngine.open(dir, LevelDbSettings.defaults()), RowCache.ofBytes(1 << 20),
        false, ConflictMode.SIBLINGS);
  }

  @Test
  void treesFollowWritesAndAScanBuildsTheSameTree() throws Exception {
    try (ReplicaStore store = open()) {
      LocalAntiEntropy ae = new LocalAntiEntropy(store, new PartitionTrees(SHAPE, 4));
      assertEquals(0, ae.buildTree(2), "an empty partition");
      for (int i = 0; i < 100; i++) {
        store.mergeChanged(2, key(i), live(i)).get();
      }
      store.write(2, key(5), live(5).context(), true, null, null, 5_000).get(); // a delete
      Long followed = ae.trees().root(2);
      assertEquals(100, ae.trees().keys(2));
      assertEquals(1, ae.trees().tombstoneKeys(2));
      assertEquals(100, ae.buildTree(2), "the scan saw every key");
      assertEquals(followed, ae.trees().root(2), "the rebuilt tree equals the one writes kept");

      assertEquals(100, store.dropPartition(2));
      assertEquals(0, ae.trees().keys(2), "a dropped partition leaves the tree empty");
    }
  }

  @Test
  void listingsAndRecordsInKeyOrder() throws Exception {
    try (ReplicaStore store = open()) {
      LocalAntiEntropy ae = new LocalAntiEntropy(store, new PartitionTrees(SHAPE, 4));
      ae.buildTree(1);
      for (int i = 0; i < 100; i += 2) {
        store.mergeChanged(1, key(i), live(i)).get();
      }
      List<KeyDigest> all = new ArrayList<>();
      byte[] after = null;
      DigestPage page;
      do {
        page = ae.digests(1, null, after, 7);
        all.addAll(page.keys());
        after = page.keys().isEmpty() ? after : page.keys().get(page.keys().size() - 1).key();
      } while (!page.end());
      assertEquals(50, all.size(), "every key, in pages");
      assertEquals(RecordDigest.of(live(0)).hash(), all.get(0).digest());
      int[] oneLeaf = {SHAPE.leafOf(io.ringkv.merkle.KeyHashes.keyHash(key(10)))};
      assertTrue(ae.digests(1, oneLeaf, null, 1_000).keys().stream().allMatch(k ->
          SHAPE.leafOf(io.ringkv.merkle.KeyHashes.keyHash(k.key())) == oneLeaf[0]));

      List<byte[]> asked = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        asked.add(key(i)); // every other one is missing
      }
      List<PartitionPage.Entry> byScan = ae.records(1, asked);
      assertEquals(30, byScan.size());
      assertArrayEquals(key(58), byScan.get(29).key());
      assertEquals(live(58), SiblingSetCodec.decode(byScan.get(29).record()));
      List<PartitionPage.Entry> byGets = ae.records(1, List.of(key(3), key(4), key(2)));
      assertEquals(2, byGets.size(), "a few keys in any order, read one by one");
      long[] digests = ae.digestsOf(1, List.of(key(4), key(5)));
      assertEquals(RecordDigest.of(live(4)).hash(), digests[0]);
      assertEquals(0, digests[1]);
    }
  }

  @Test
  void onlyOldTombstonesAreListedAndOnlyUnchangedOnesReaped() throws Exception {
    try (ReplicaStore store = open()) {
      LocalAntiEntropy ae = new LocalAntiEntropy(store, new PartitionTrees(SHAPE, 4));
      ae.buildTree(0);
      for (int i = 0; i < 4; i++) {
        store.mergeChanged(0, key(i), live(i)).get();
        store.write(0, key(i), live(i).context(), true, null, null, i < 3 ? 2_000 : 9_000).get();
      }
      store.mergeChanged(0, key(9), live(9)).get();
      DigestPage old = ae.tombstones(0, 5_000, null, 100);
      assertEquals(3, old.keys().size(), "tombstones at or before 5000 only, never live keys");
      assertEquals(4, ae.trees().tombstoneKeys(0));
      // key 1 gets a concurrent write after it was listed: it must stay.
      store.mergeChanged(0, key(1), live(21)).get();
      assertEquals(2, ae.reap(0, old.keys()).get());
      assertTrue(store.read(0, key(0)).isEmpty());
      assertFalse(store.read(0, key(1)).isEmpty(), "changed since it was listed: kept");
      assertEquals(1, ae.trees().tombstoneKeys(0), "key 3, too young");
    }
  }
}
