package io.ringkv.storage;

import java.util.Arrays;

/**
 * A byte[] key with content equality, for maps: the group-commit writer's overlay and the row
 * cache. The hash is computed once, as each key passes through several maps per write.
 */
final class ByteKey {
  private final byte[] bytes;
  private final int hash;

  ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "ByteKey" + Arrays.toString(bytes);
  }
}
