package io.ringkv.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  /** A tree of {@code leaves} with every inner node recomputed from scratch. */
  private static MerkleTree fresh(TreeShape shape, long[] leaves) {
    MerkleTree t = new MerkleTree(shape);
    for (int i = 0; i < leaves.length; i++) {
      t.add(i, leaves[i]);
    }
    return t;
  }

  @Test
  void lazyRecomputationEqualsAFreshTreeAfterEveryRead() {
    TreeShape shape = new TreeShape(4, 3);
    Random random = new Random(11);
    MerkleTree tree = new MerkleTree(shape);
    long[] leaves = new long[shape.leaves()];
    for (int i = 0; i < 2_000; i++) {
      int leaf = random.nextInt(leaves.length);
      long delta = random.nextLong();
      tree.add(leaf, delta);
      leaves[leaf] += delta;
      if (random.nextInt(7) == 0) {
        int level = random.nextInt(shape.depth() + 1);
        int index = random.nextInt(shape.nodesAt(level));
        assertEquals(fresh(shape, leaves).hash(level, index), tree.hash(level, index), "node " + level + "/" + index);
      }
    }
    MerkleTree model = fresh(shape, leaves);
    assertEquals(model.root(), tree.root());
    for (int level = 0; level <= shape.depth(); level++) {
      int[] all = new int[shape.nodesAt(level)];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      assertArrayEquals(model.hashes(level, all), tree.hashes(level, all), "level " + level);
    }
  }

  @Test
  void undoingAChangeRestoresTheRootAndAnyLeafChangeMovesIt() {
    TreeShape shape = new TreeShape(16, 3);
    MerkleTree tree = new MerkleTree(shape);
    long empty = tree.root();
    for (int leaf = 0; leaf < shape.leaves(); leaf += 97) {
      tree.add(leaf, 12345);
      assertNotEquals(empty, tree.root(), "leaf " + leaf);
      tree.add(leaf, -12345);
      assertEquals(empty, tree.root());
    }
  }

  @Test
  void swappingTwoLeavesChangesTheRoot() {
    TreeShape shape = new TreeShape(4, 2);
    MerkleTree a = new MerkleTree(shape);
    MerkleTree b = new MerkleTree(shape);
    a.add(1, 5);
    a.add(2, 7);
    b.add(1, 7);
    b.add(2, 5);
    assertNotEquals(a.root(), b.root(), "inner nodes hash their children in order");
  }

  @Test
  void shapes() {
    TreeShape shape = new TreeShape(16, 3);
    assertEquals(4096, shape.leaves());
    assertEquals(1 + 16 + 256 + 4096, shape.nodes());
    assertTrue(shape.bytesPerTree() > 8 * shape.nodes() && shape.bytesPerTree() < 40_000, "" + shape.bytesPerTree());
    assertThrows(IllegalArgumentException.class, () -> new TreeShape(1, 3));
    assertThrows(IllegalArgumentException.class, () -> new TreeShape(16, 0));
    assertThrows(IllegalArgumentException.class, () -> new TreeShape(256, 3));
    assertThrows(IllegalArgumentException.class, () -> new MerkleTree(new TreeShape(2, 2)).hashes(1, new int[] {2}));
  }

  @Test
  void keysSpreadEvenlyOverTheLeaves() {
    TreeShape shape = new TreeShape(16, 2);
    int[] counts = new int[shape.leaves()];
    int keys = 256_000;
    for (int i = 0; i < keys; i++) {
      int leaf = shape.leafOf(KeyHashes.keyHash(("user/" + i).getBytes()));
      counts[leaf]++;
    }
    for (int c : counts) {
      assertTrue(c > 800 && c < 1200, "about 1000 keys per leaf, got " + c);
    }
    assertEquals(0, shape.leafOf(0));
    assertEquals(shape.leaves() - 1, shape.leafOf(-1L));
  }
}
