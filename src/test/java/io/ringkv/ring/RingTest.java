package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accessors, preference lists and validation of {@link Ring}. */
class RingTest {

  @Test
  void initialRingGivesEverythingToTheFirstNode() {
    Ring ring = Ring.initial(16, "a");
    assertEquals(1, ring.version());
    assertEquals(16, ring.partitions());
    assertEquals(List.of("a"), ring.nodes());
    assertEquals(Map.of("a", 16), ring.ownedCounts());
    for (int p = 0; p < 16; p++) {
      assertEquals("a", ring.ownerOf(p));
      assertEquals(List.of("a"), ring.preferenceList(p, 3));
    }
  }

  @Test
  void nodesAndCountsAreSortedById() {
    Ring ring = Ring.of(4, 7, new String[] {"c", "a", "c", "b"});
    assertEquals(List.of("a", "b", "c"), ring.nodes());
    assertEquals(List.of("a", "b", "c"), new ArrayList<>(ring.ownedCounts().keySet()));
    assertEquals(List.of(1, 1, 2), new ArrayList<>(ring.ownedCounts().values()));
    assertEquals(7, ring.version());
  }

  @Test
  void preferenceListWalksClockwiseSkippingRepeats() {
    Ring ring = Ring.of(6, 1, new String[] {"a", "a", "b", "a", "c", "b"});
    assertEquals(List.of("a", "b", "c"), ring.preferenceList(0, 3));
    assertEquals(List.of("b", "a", "c"), ring.preferenceList(2, 5));
    assertEquals(List.of("b", "a"), ring.preferenceList(5, 2)); // wraps to partition 0
    assertEquals(List.of("c", "b", "a"), ring.preferenceList(4, 3));
    assertEquals(List.of("c"), ring.preferenceList(4, 1));
  }

  @Test
  void preferenceListsMatchANaiveWalkOnRandomRings() {
    Random random = new Random(5);
    for (int trial = 0; trial < 40; trial++) {
      int q = 1 + random.nextInt(300);
      Ring ring = randomOwners(random, q, 1 + random.nextInt(10));
      for (int p = 0; p < q; p++) {
        for (int n = 1; n <= 8; n++) {
          List<String> list = ring.preferenceList(p, n);
          assertEquals(naiveWalk(ring, p, n), list);
          assertEquals(Math.min(n, ring.nodes().size()), list.size());
          assertEquals(list.size(), new HashSet<>(list).size(), "duplicates in " + list);
          assertEquals(ring.ownerOf(p), list.get(0));
        }
      }
    }
  }

  @Test
  void claimedRingsGiveThreeDistinctReplicas() {
    Random random = new Random(6);
    List<Member> members = new ArrayList<>();
    for (String id : RingClaimTest.randomIds(random, 5)) {
      members.add(new Member(id, members.size()));
    }
    Ring ring = Ring.fromMembers(256, members);
    for (int p = 0; p < 256; p++) {
      assertEquals(3, new HashSet<>(ring.preferenceList(p, 3)).size());
    }
  }

  @Test
  void keyPreferenceListUsesTheKeysPartition() {
    Ring ring = Ring.fromMembers(64, List.of(new Member("a", 1), new Member("b", 2),
        new Member("c", 3), new Member("d", 4)));
    Random random = new Random(8);
    for (int i = 0; i < 200; i++) {
      byte[] key = ("key-" + random.nextInt()).getBytes(StandardCharsets.UTF_8);
      int p = KeyHasher.partitionOf(KeyHasher.hash(key), 64);
      assertEquals(p, ring.partitionOf(key));
      assertEquals(ring.preferenceList(p, 3), ring.preferenceList(key, 3));
    }
  }

  @Test
  void shortPreferenceListsAreCachedAndImmutable() {
    Ring ring = Ring.of(4, 1, new String[] {"a", "b", "c", "d"});
    List<String> first = ring.preferenceList(1, 3);
    assertSame(first, ring.preferenceList(1, 3));
    assertThrows(UnsupportedOperationException.class, () -> first.add("x"));
    assertThrows(UnsupportedOperationException.class, () -> ring.preferenceList(0, 9).add("x"));
  }

  @Test
  void ownersArrayIsACopy() {
    Ring ring = Ring.initial(4, "a");
    String[] owners = ring.ownersArray();
    owners[0] = "mallory";
    assertEquals("a", ring.ownerOf(0));
    String[] input = {"a", "b"};
    Ring built = Ring.of(2, 1, input);
    input[0] = "mallory";
    assertEquals("a", built.ownerOf(0));
    assertArrayEquals(new String[] {"a", "b"}, built.ownersArray());
  }

  @Test
  void equalityCoversVersionAndOwners() {
    Ring ring = Ring.of(3, 2, new String[] {"a", "b", "a"});
    assertEquals(ring, Ring.of(3, 2, new String[] {"a", "b", "a"}));
    assertEquals(ring.hashCode(), Ring.of(3, 2, new String[] {"a", "b", "a"}).hashCode());
    assertNotEquals(ring, Ring.of(3, 3, new String[] {"a", "b", "a"}));
    assertNotEquals(ring, Ring.of(3, 2, new String[] {"a", "a", "b"}));
  }

  @Test
  void rejectsInvalidArguments() {
    assertThrows(IllegalArgumentException.class, () -> Ring.initial(0, "a"));
    assertThrows(IllegalArgumentException.class, () -> Ring.initial(Ring.MAX_PARTITIONS + 1, "a"));
    assertThrows(IllegalArgumentException.class, () -> Ring.initial(8, ""));
    assertThrows(IllegalArgumentException.class, () -> Ring.of(2, 0, new String[] {"a", "a"}));
    assertThrows(IllegalArgumentException.class, () -> Ring.of(2, 1, new String[] {"a"}));
    assertThrows(IllegalArgumentException.class, () -> Ring.of(2, 1, new String[] {"a", null}));
    assertThrows(IllegalArgumentException.class, () -> Ring.of(2, 1, null));
    assertThrows(IllegalArgumentException.class, () -> Ring.fromMembers(8, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Member(null, 1));
    Ring ring = Ring.initial(8, "a");
    assertThrows(IllegalArgumentException.class, () -> ring.preferenceList(0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> ring.preferenceList(8, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> ring.ownerOf(-1));
    assertThrows(IllegalArgumentException.class, () -> ring.withNode(null));
  }

  static Ring randomOwners(Random random, int q, int nodes) {
    String[] owners = new String[q];
    for (int p = 0; p < q; p++) {
      owners[p] = "n" + random.nextInt(nodes);
    }
    return Ring.of(q, 1 + random.nextInt(100), owners);
  }

  /** The definition, written as plainly as possible. */
  private static List<String> naiveWalk(Ring ring, int partition, int n) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < ring.partitions(); i++) {
      seen.add(ring.ownerOf((partition + i) % ring.partitions()));
    }
    return new ArrayList<>(seen).subList(0, Math.min(n, seen.size()));
  }
}
