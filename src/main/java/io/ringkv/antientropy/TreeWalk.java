package io.ringkv.antientropy;

import io.ringkv.merkle.TreeShape;
import java.util.Arrays;

/**
 * The descent of a Merkle comparison, pure: which nodes of a level differ between two trees, and
 * which nodes of the next level to ask for (the children of those). Only differing subtrees are
 * ever asked for, so the hashes exchanged grow with the differences, not with the data.
 */
final class TreeWalk {
  /** What one more level costs per child asked for: its index out, its hash back. */
  static final int BYTES_PER_HASH = 12;
  /** What listing costs per key the peer lists: about a short key, its length and its digest. */
  static final int BYTES_PER_LISTED_KEY = 24;

  private TreeWalk() {}

  /**
   * Whether listing the peer's keys under the differing nodes of {@code level} costs fewer bytes
   * than asking for their children: true once a node holds fewer keys than about half its fanout
   * (keys spread evenly over the leaves). A wiped replica's partitions, where every node differs,
   * are listed after a level or two instead of sending hashes of most of the tree.
   */
  static boolean listingIsCheaper(TreeShape shape, int level, long peerKeys) {
    double keysPerNode = (double) peerKeys / shape.nodesAt(level);
    return keysPerNode * BYTES_PER_LISTED_KEY < (double) shape.fanout() * BYTES_PER_HASH;
  }

  /** Every leaf below the given nodes of {@code level}, in order. */
  static int[] leavesUnder(TreeShape shape, int level, int[] nodes) {
    int per = shape.nodesAt(shape.depth()) / shape.nodesAt(level);
    int[] out = new int[nodes.length * per];
    for (int i = 0; i < nodes.length; i++) {
      for (int k = 0; k < per; k++) {
        out[i * per + k] = nodes[i] * per + k;
      }
    }
    return out;
  }

  /** The indices whose hashes differ, in the order given. */
  static int[] differing(int[] indices, long[] mine, long[] theirs) {
    if (mine.length != indices.length || theirs.length != indices.length) {
      throw new IllegalArgumentException("expected " + indices.length + " hashes, got " + mine.length + " and "
          + theirs.length);
    }
    int[] out = new int[indices.length];
    int n = 0;
    for (int i = 0; i < indices.length; i++) {
      if (mine[i] != theirs[i]) {
        out[n++] = indices[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Every child of {@code parents} (nodes of one level) on the next level, in order. */
  static int[] children(TreeShape shape, int[] parents) {
    int fanout = shape.fanout();
    int[] out = new int[parents.length * fanout];
    for (int i = 0; i < parents.length; i++) {
      for (int c = 0; c < fanout; c++) {
        out[i * fanout + c] = parents[i] * fanout + c;
      }
    }
    return out;
  }
}
