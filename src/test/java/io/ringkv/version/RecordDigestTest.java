package io.ringkv.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The versions digest anti-entropy compares: equal versions, equal digest; anything else differs. */
class RecordDigestTest {

  private static Version live(String actor, long counter, long ts, String value, VersionVector past) {
    return new Version(new Dot(actor, counter), past, ts, false, "text/plain", value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missingAndEmptyRecordsAreAbsent() {
    assertEquals(RecordDigest.ABSENT, RecordDigest.of((byte[]) null));
    assertEquals(0, RecordDigest.of(SiblingSetCodec.encode(SiblingSet.empty())).hash());
    assertTrue(RecordDigest.of(SiblingSet.empty()).absent());
  }

  @Test
  void dependsOnlyOnDotsTimestampsAndTombstones() {
    VersionVector past = VersionVector.empty().with(new Dot("n2", 4));
    SiblingSet a = SiblingSet.of(List.of(live("n1", 3, 9, "x", past)));
    // Same dot and timestamp, other value bytes and past: a dot names one write, so this never
    // happens between replicas; it shows the digest does not read them.
    SiblingSet b = SiblingSet.of(List.of(live("n1", 3, 9, "something else", VersionVector.empty())));
    assertEquals(RecordDigest.of(SiblingSetCodec.encode(a)), RecordDigest.of(SiblingSetCodec.encode(b)));
    assertNotEquals(RecordDigest.of(a).hash(), RecordDigest.of(SiblingSet.of(List.of(live("n1", 3, 10, "x", past)))).hash());
    assertNotEquals(RecordDigest.of(a).hash(), RecordDigest.of(SiblingSet.of(List.of(live("n1", 4, 9, "x", past)))).hash());
    assertNotEquals(RecordDigest.of(a).hash(), RecordDigest.of(SiblingSet.of(List.of(live("n3", 3, 9, "x", past)))).hash());
    SiblingSet tomb = SiblingSet.of(List.of(Version.tombstone(new Dot("n1", 3), past, 9)));
    assertNotEquals(RecordDigest.of(a).hash(), RecordDigest.of(tomb).hash());
  }

  @Test
  void formatOneAndFormatTwoRecordsOfOneSetDigestEqual() {
    // format 1 | count 1 | "n1" | counter 3 | past {n2: 4} without hole count | ts 9 | flags 0 | "t" | value [7]
    byte[] v1 = {1, 1, 2, 'n', '1', 3, 1, 2, 'n', '2', 4, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 't', 1, 7};
    SiblingSet set = SiblingSetCodec.decode(v1);
    byte[] v2 = SiblingSetCodec.encode(set);
    assertEquals(2, v2[0]);
    assertEquals(RecordDigest.of(v1), RecordDigest.of(v2));
    assertEquals(RecordDigest.of(set), RecordDigest.of(v2));
  }

  @Test
  void matchesTheDecodedSetsDigestAndReportsTombstonesAndNewestTimestamp() {
    Random random = new Random(7);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      int n = 1 + random.nextInt(4);
      List<Version> versions = new java.util.ArrayList<>();
      boolean allTomb = true;
      long newest = Long.MIN_VALUE;
      for (int k = 0; k < n; k++) {
        boolean tomb = random.nextBoolean();
        long ts = random.nextInt(1000);
        Dot dot = new Dot("n" + k + "~" + random.nextInt(3), 1 + random.nextInt(1_000_000));
        versions.add(tomb ? Version.tombstone(dot, VersionVector.empty(), ts) : live(dot.actor(), dot.counter(), ts, "v" + i,
            VersionVector.empty()));
        allTomb &= tomb;
        newest = Math.max(newest, ts);
      }
      SiblingSet set = SiblingSet.of(versions);
      RecordDigest d = RecordDigest.of(SiblingSetCodec.encode(set));
      assertEquals(RecordDigest.of(set), d);
      assertEquals(n, d.versions());
      assertEquals(allTomb, d.tombstonesOnly());
      assertEquals(newest, d.newestTimestampMs());
      assertNotEquals(0, d.hash());
      seen.add(d.hash());
    }
    assertTrue(seen.size() > 1_990, "random sets have distinct digests: " + seen.size());
  }

  @Test
  void orderOfMergingDoesNotMatter() {
    SiblingSet a = SiblingSet.of(List.of(live("n1", 1, 5, "a", VersionVector.empty())));
    SiblingSet b = SiblingSet.of(List.of(live("n2", 1, 5, "b", VersionVector.empty())));
    assertEquals(RecordDigest.of(a.merge(b, ConflictMode.SIBLINGS)), RecordDigest.of(b.merge(a, ConflictMode.SIBLINGS)));
    assertFalse(RecordDigest.of(a.merge(b, ConflictMode.SIBLINGS)).tombstonesOnly());
  }

  @Test
  void refusesWhatIsNotARecord() {
    assertThrows(IllegalArgumentException.class, () -> RecordDigest.of(new byte[] {9, 0}));
    assertThrows(IllegalArgumentException.class, () -> RecordDigest.of(new byte[] {2, 1, 2, 'n'}));
    byte[] good = SiblingSetCodec.encode(SiblingSet.of(List.of(live("n1", 1, 5, "a", VersionVector.empty()))));
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThrows(IllegalArgumentException.class, () -> RecordDigest.of(trailing));
  }
}
