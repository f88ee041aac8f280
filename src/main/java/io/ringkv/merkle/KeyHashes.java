package io.ringkv.merkle;

import io.ringkv.version.RecordDigest;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * How a key enters a Merkle tree: its hash picks the leaf, and its contribution to that leaf is a
 * mix of the key hash and the digest of its versions ({@link RecordDigest}). A leaf is the wrapping
 * sum of its keys' contributions, so a write changes it in O(1) (subtract the old contribution, add
 * the new one) and the order in which keys arrived does not matter.
 *
 * <p>The key hash is the second 64-bit half of the same MurmurHash3 x64 128 the ring uses (whose
 * first half places the key in its partition): inside a partition the first half's high bits are
 * nearly equal, the second half's are not.
 */
public final class KeyHashes {
  private KeyHashes() {}

  /** The tree hash of the user key {@code bytes[offset, offset+length)}. */
  public static long keyHash(byte[] bytes, int offset, int length) {
    return MurmurHash3.hash128x64(bytes, offset, length, 0)[1];
  }

  public static long keyHash(byte[] userKey) {
    return keyHash(userKey, 0, userKey.length);
  }

  /** What a key whose versions have {@code recordDigest} adds to its leaf; 0 for a key without versions. */
  public static long contribution(long keyHash, long recordDigest) {
    return recordDigest == 0 ? 0 : RecordDigest.mix(keyHash ^ RecordDigest.mix(recordDigest + keyHash));
  }
}
