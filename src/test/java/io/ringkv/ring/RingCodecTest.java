package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class RingCodecTest {

  @Test
  void ringsRoundTrip() {
    Random random = new Random(9);
    for (int trial = 0; trial < 200; trial++) {
      int q = 1 + random.nextInt(trial < 190 ? 1100 : Ring.MAX_PARTITIONS);
      Ring ring = RingTest.randomOwners(random, q, 1 + random.nextInt(20));
      assertEquals(ring, RingCodec.decode(RingCodec.encode(ring)));
    }
  }

  @Test
  void wideOwnerIndexesRoundTrip() {
    // More than 256 distinct owners switches the owner index to 2 bytes.
    Ring ring = RingTest.randomOwners(new Random(10), 4096, 1000);
    assertTrue(ring.nodes().size() > 256);
    assertEquals(ring, RingCodec.decode(RingCodec.encode(ring)));
  }

  @Test
  void claimedRingIsCompact() {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      members.add(new Member("node-" + i + ".ringkv.local", i));
    }
    Ring ring = Ring.fromMembers(256, members);
    byte[] bytes = RingCodec.encode(ring);
    assertEquals(ring, RingCodec.decode(bytes));
    assertTrue(bytes.length < 600, "encoded in " + bytes.length + " bytes");
  }

  @Test
  void unicodeIdsRoundTrip() {
    Ring ring = Ring.of(3, 4, new String[] {"nœud-é", "節点", "node-\uD83D\uDE00"});
    assertEquals(ring, RingCodec.decode(RingCodec.encode(ring)));
    String loneSurrogate = "bad\uD800";
    assertThrows(IllegalArgumentException.class,
        () -> RingCodec.encode(Ring.of(1, 1, new String[] {loneSurrogate})));
  }

  @Test
  void membersRoundTrip() {
    Random random = new Random(12);
    for (int size = 0; size < 20; size++) {
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        members.add(new Member("m" + random.nextInt(1000), random.nextLong()));
      }
      assertEquals(members, RingCodec.decodeMembers(RingCodec.encodeMembers(members)));
    }
  }

  @Test
  void everySingleBitFlipIsRejected() {
    byte[] ring = RingCodec.encode(Ring.of(5, 3, new String[] {"a", "b", "c", "a", "b"}));
    byte[] members = RingCodec.encodeMembers(List.of(new Member("a", 1), new Member("b", 2)));
    for (byte[] good : List.of(ring, members)) {
      for (int bit = 0; bit < good.length * 8; bit++) {
        byte[] bad = good.clone();
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        assertRejected(bad);
      }
    }
  }

  @Test
  void everyTruncationAndTrailingGarbageIsRejected() {
    byte[] ring = RingCodec.encode(Ring.of(5, 3, new String[] {"a", "b", "c", "a", "b"}));
    byte[] members = RingCodec.encodeMembers(List.of(new Member("a", 1)));
    for (byte[] good : List.of(ring, members)) {
      for (int length = 0; length < good.length; length++) {
        assertRejected(Arrays.copyOf(good, length));
      }
      assertRejected(Arrays.copyOf(good, good.length + 1));
    }
    assertRejected(null);
  }

  /** Structurally wrong bodies with a valid CRC: the parser itself must refuse them. */
  @Test
  void wellChecksummedNonsenseIsRejected() {
    byte[] good = RingCodec.encode(Ring.of(3, 2, new String[] {"a", "b", "a"}));
    // Layout: magic 0-3, format 4, Q 5-8, version 9-16, K 17-18, "a" 19-21, "b" 22-24,
    // owners 25-27, CRC 28-31.
    assertEquals(32, good.length);
    assertRejected(tamper(good, 4, 2));            // unknown format
    assertRejected(tamper(good, 8, 0));            // Q = 0
    assertRejected(tamper(good, 16, 0));           // ring version 0
    assertRejected(tamper(good, 18, 3));           // K = 3 but only two ids follow
    assertRejected(tamper(good, 21, 'b'));         // ids "b","b": not distinct
    assertRejected(tamper(good, 26, 2));           // owner index out of range
    assertRejected(tamper(tamper(good, 26, 0), 26, 0)); // "b" listed but owns nothing
    assertRejected(tamper(good, 0, 'X'));          // magic
    assertRejected(resealed(RingCodec.encodeMembers(List.of()))); // a member list is no ring
    assertRejected(resealed(Arrays.copyOf(good, 0)));
  }

  private static void assertRejected(byte[] bytes) {
    assertThrows(IllegalArgumentException.class, () -> RingCodec.decode(bytes));
    assertThrows(IllegalArgumentException.class, () -> RingCodec.decodeMembers(bytes));
  }

  /** Sets one byte and recomputes the CRC, so only the structural checks can catch it. */
  private static byte[] tamper(byte[] encoded, int index, int value) {
    byte[] out = encoded.clone();
    out[index] = (byte) value;
    return resealed(Arrays.copyOf(out, out.length - 4));
  }

  private static byte[] resealed(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }
}
