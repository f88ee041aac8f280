package io.ringkv.ring;

import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Maps keys to positions on the 64-bit hash ring and positions to partitions.
 *
 * <p>The hash is the first 64 bits (h1) of MurmurHash3 x64 128-bit with seed 0, the same
 * function every node computes, so every node places a key in the same partition. Murmur3 is
 * not cryptographic; it only has to spread keys evenly and be fast, which it does.
 */
public final class KeyHasher {

  private KeyHasher() {}

  /** The 64-bit ring position of {@code key}; read it as an unsigned number. */
  public static long hash(byte[] key) {
    return MurmurHash3.hash128x64(key)[0];
  }

  /**
   * The partition holding ring position {@code hash}: partition i covers the unsigned range
   * [i * 2^64 / Q, (i + 1) * 2^64 / Q), so {@code floor(unsigned(hash) * Q / 2^64)}.
   *
   * <p>That is the high word of the unsigned 128-bit product. {@link Math#multiplyHigh} is the
   * signed product; reading a negative {@code hash} as unsigned adds 2^64 to it, which adds
   * exactly Q to the high word (Q is positive, so no correction is needed for it).
   *
   * @throws IllegalArgumentException if {@code partitions < 1}
   */
  public static int partitionOf(long hash, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    long high = Math.multiplyHigh(hash, partitions);
    return (int) (hash < 0 ? high + partitions : high);
  }

  /** Shorthand for {@code partitionOf(hash(key), partitions)}. */
  public static int partitionOf(byte[] key, int partitions) {
    return partitionOf(hash(key), partitions);
  }
}
