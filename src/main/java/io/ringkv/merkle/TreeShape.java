package io.ringkv.merkle;

/**
 * The shape of every partition's Merkle tree on a node: {@code fanout} children per inner node
 * and {@code depth} levels below the root, so {@code fanout^depth} leaves. All nodes of a cluster
 * must use the same shape (an exchange between different shapes is refused and logged).
 *
 * <p>Level 0 is the root, level {@code depth} the leaves; node {@code i} of level {@code l} has
 * the children {@code i*fanout .. i*fanout+fanout-1} on level {@code l+1}.
 */
public record TreeShape(int fanout, int depth) {
  /** At most about a million leaves (8 MiB of leaf hashes) per partition. */
  public static final int MAX_LEAVES = 1 << 20;

  public TreeShape {
    if (fanout < 2 || fanout > 256) {
      throw new IllegalArgumentException("tree fanout must be 2..256, got " + fanout);
    }
    if (depth < 1 || depth > 10) {
      throw new IllegalArgumentException("tree depth must be 1..10, got " + depth);
    }
    if (Math.pow(fanout, depth) > MAX_LEAVES) {
      throw new IllegalArgumentException("a tree of fanout " + fanout + " and depth " + depth + " has more than "
          + MAX_LEAVES + " leaves");
    }
  }

  public int leaves() {
    return nodesAt(depth);
  }

  /** Number of nodes on {@code level} (0 = root). */
  public int nodesAt(int level) {
    if (level < 0 || level > depth) {
      throw new IllegalArgumentException("level must be 0.." + depth + ", got " + level);
    }
    int n = 1;
    for (int i = 0; i < level; i++) {
      n *= fanout;
    }
    return n;
  }

  /** Nodes of the whole tree, root to leaves. */
  public int nodes() {
    int total = 0;
    for (int level = 0; level <= depth; level++) {
      total += nodesAt(level);
    }
    return total;
  }

  /**
   * Heap bytes of one tree: a 64-bit hash per node and a dirty flag per inner node, plus the
   * arrays' headers. What a node reports per partition.
   */
  public long bytesPerTree() {
    long bytes = 0;
    for (int level = 0; level <= depth; level++) {
      bytes += 16 + 8L * nodesAt(level);
      if (level < depth) {
        bytes += 16 + nodesAt(level);
      }
    }
    return bytes + 64;
  }

  /**
   * The leaf of a key with this {@code keyHash} (see {@link KeyHashes}): the hash read as an
   * unsigned fraction of 2^64, scaled to the leaf count, so leaves get equal shares.
   */
  public int leafOf(long keyHash) {
    int leaves = leaves();
    long high = Math.multiplyHigh(keyHash, leaves);
    return (int) (keyHash < 0 ? high + leaves : high);
  }
}
