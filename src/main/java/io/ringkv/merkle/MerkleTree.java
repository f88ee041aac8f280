package io.ringkv.merkle;

/**
 * One partition's Merkle tree: {@link TreeShape#leaves()} leaf buckets, each the wrapping sum of
 * the contributions of the keys that hash into it ({@link KeyHashes}), and inner nodes that hash
 * their children in order.
 *
 * <p>Updates are O(depth): {@link #add} changes one leaf and marks its ancestors dirty (stopping
 * at the first one already dirty: a dirty node's ancestors are always dirty). Inner hashes are
 * recomputed lazily, only when read, and only along dirty paths, so a burst of writes costs one
 * recomputation per touched subtree at the next exchange, not one per write.
 *
 * <p>Not thread-safe: its owner ({@link PartitionTrees}) guards every call with one lock.
 */
public final class MerkleTree {
  private final TreeShape shape;
  private final long[][] hashes; // [level][index], level 0 = root, level depth = leaves
  private final boolean[][] dirty; // [level][index] for the inner levels

  public MerkleTree(TreeShape shape) {
    this.shape = shape;
    int depth = shape.depth();
    hashes = new long[depth + 1][];
    dirty = new boolean[depth][];
    for (int level = 0; level <= depth; level++) {
      hashes[level] = new long[shape.nodesAt(level)];
      if (level < depth) {
        dirty[level] = new boolean[shape.nodesAt(level)];
        java.util.Arrays.fill(dirty[level], true);
      }
    }
  }

  public TreeShape shape() {
    return shape;
  }

  /** Adds {@code delta} (wrapping) to a leaf. */
  public void add(int leaf, long delta) {
    if (delta == 0) {
      return;
    }
    int depth = shape.depth();
    hashes[depth][leaf] += delta;
    int index = leaf;
    for (int level = depth - 1; level >= 0; level--) {
      index /= shape.fanout();
      if (dirty[level][index]) {
        return;
      }
      dirty[level][index] = true;
    }
  }

  public long root() {
    return hash(0, 0);
  }

  /** The hash of node {@code index} on {@code level} (a leaf's sum on the last level). */
  public long hash(int level, int index) {
    if (level == shape.depth()) {
      return hashes[level][index];
    }
    if (dirty[level][index]) {
      long h = 0x243F6A8885A308D3L + level;
      int first = index * shape.fanout();
      for (int child = first; child < first + shape.fanout(); child++) {
        h = Long.rotateLeft(h, 27) ^ hash(level + 1, child);
        h *= 0x9E3779B97F4A7C15L;
      }
      hashes[level][index] = finish(h);
      dirty[level][index] = false;
    }
    return hashes[level][index];
  }

  /** The hashes of several nodes of one level, in the order given. */
  public long[] hashes(int level, int[] indices) {
    long[] out = new long[indices.length];
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= shape.nodesAt(level)) {
        throw new IllegalArgumentException("no node " + indices[i] + " on level " + level);
      }
      out[i] = hash(level, indices[i]);
    }
    return out;
  }

  private static long finish(long h) {
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    return h;
  }
}
