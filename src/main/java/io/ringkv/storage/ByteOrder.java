package io.ringkv.storage;

import java.util.Arrays;
import java.util.Comparator;

/** Unsigned lexicographic byte order, the order LevelDB's default comparator uses. */
final class ByteOrder {

  /** Compares as unsigned bytes, shorter prefix first: {0x7f} < {0x80} < {0x80, 0x00}. */
  static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private ByteOrder() {}

  static boolean before(byte[] key, byte[] toExclusive) {
    return Arrays.compareUnsigned(key, toExclusive) < 0;
  }
}
