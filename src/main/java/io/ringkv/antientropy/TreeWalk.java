package io.ringkv.antientropy;

import io.ringkv.merkle.TreeShape;
import java.util.Arrays;

/**
 * The descent of a Merkle comparison, pure: which nodes of a level differ between two trees, and
 * which nodes of the next level to ask for (the children of those). Only differing subtrees are
 * ever asked for, so the hashes exchanged grow with the differences, not with the data.
 */
final class TreeWalk {
  private TreeWalk() {}

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
