package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  @Test
  void matchesPublishedMurmur3Vectors() {
    // h1 of MurmurHash3_x64_128, seed 0, from smhasher via Guava's Murmur3Hash128Test.
    assertEquals(0L, hash(""));
    assertEquals(0x629942693e10f867L, hash("hell"));
    assertEquals(0xe34bbc7bbc071b6cL, hash("The quick brown fox jumps over the lazy dog"));
    assertEquals(0x658ca970ff85269aL, hash("The quick brown fox jumps over the lazy cog"));
  }

  @Test
  void matchesCommonsCodecReferenceOnRandomKeys() {
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      byte[] key = new byte[random.nextInt(64)];
      random.nextBytes(key);
      long expected = MurmurHash3.hash128x64(key, 0, key.length, 0)[0];
      assertEquals(expected, KeyHasher.hash(key));
    }
  }

  @Test
  void boundariesFallOnEqualRanges() {
    for (int q : new int[] {1, 2, 3, 7, 8, 256, 1000, 1024, 65536}) {
      assertEquals(0, KeyHasher.partitionOf(0L, q), "hash 0, Q=" + q);
      assertEquals(q - 1, KeyHasher.partitionOf(-1L, q), "hash 2^64-1, Q=" + q);
      assertEquals(q / 2, KeyHasher.partitionOf(Long.MIN_VALUE, q), "hash 2^63, Q=" + q);
      assertEquals(reference(Long.MAX_VALUE, q), KeyHasher.partitionOf(Long.MAX_VALUE, q));
    }
  }

  @Test
  void firstHashOfEachRangeStartsThatPartition() {
    for (int q : new int[] {3, 8, 100, 256}) {
      for (int i = 1; i < q; i++) {
        // The smallest h with h * Q >= i * 2^64, i.e. ceil(i * 2^64 / Q).
        BigInteger[] qr = BigInteger.valueOf(i).multiply(TWO_64).divideAndRemainder(
            BigInteger.valueOf(q));
        BigInteger start = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        assertEquals(i, KeyHasher.partitionOf(start.longValue(), q));
        assertEquals(i - 1, KeyHasher.partitionOf(start.subtract(BigInteger.ONE).longValue(), q));
      }
    }
  }

  @Test
  void agreesWithBigIntegerOnRandomInputs() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long h = random.nextLong();
      int q = 1 + random.nextInt(Ring.MAX_PARTITIONS);
      assertEquals(reference(h, q), KeyHasher.partitionOf(h, q), "h=" + h + " Q=" + q);
    }
  }

  @Test
  void spreadsRandomKeysUniformly() {
    int q = 256;
    int keys = 1_000_000;
    int[] hits = new int[q];
    Random random = new Random(42);
    byte[] key = new byte[16];
    for (int i = 0; i < keys; i++) {
      random.nextBytes(key);
      hits[KeyHasher.partitionOf(key, q)]++;
    }
    double expected = (double) keys / q; // 3906; one standard deviation is about 62 (1.6%)
    for (int p = 0; p < q; p++) {
      double deviation = Math.abs(hits[p] - expected) / expected;
      assertTrue(deviation < 0.08, "partition " + p + " got " + hits[p]);
    }
  }

  @Test
  void rejectsNonPositivePartitionCount() {
    assertThrows(IllegalArgumentException.class, () -> KeyHasher.partitionOf(1L, 0));
    assertThrows(IllegalArgumentException.class, () -> KeyHasher.partitionOf(1L, -4));
  }

  private static long hash(String s) {
    return KeyHasher.hash(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static int reference(long h, int q) {
    BigInteger unsigned = new BigInteger(Long.toUnsignedString(h));
    return unsigned.multiply(BigInteger.valueOf(q)).shiftRight(64).intValueExact();
  }
}
