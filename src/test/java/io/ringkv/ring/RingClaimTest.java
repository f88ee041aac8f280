package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Balance, minimal movement, determinism and replica spread of {@link Ring#withNode}. */
class RingClaimTest {

  private static final int[] SIZES = {8, 64, 256, 1024};
  private static final int MAX_NODES = 12;

  @Test
  void everyNodeOwnsFloorOrCeilOfItsShare() {
    Random random = new Random(1);
    for (int q : SIZES) {
      List<String> ids = randomIds(random, MAX_NODES);
      Ring ring = Ring.initial(q, ids.get(0));
      for (int s = 1; s <= MAX_NODES; s++) {
        if (s > 1) {
          ring = ring.withNode(ids.get(s - 1));
        }
        assertBalanced(ring, ids.subList(0, s));
        assertEquals(s, ring.version());
      }
    }
  }

  @Test
  void joiningMovesOnlyTheNewNodesShareAndOnlyToIt() {
    Random random = new Random(2);
    for (int q : SIZES) {
      List<String> ids = randomIds(random, MAX_NODES + 1);
      Ring ring = Ring.initial(q, ids.get(0));
      for (int s = 1; s <= MAX_NODES; s++) {
        String joining = ids.get(s);
        Ring next = ring.withNode(joining);
        int moved = 0;
        for (int p = 0; p < q; p++) {
          if (!ring.ownerOf(p).equals(next.ownerOf(p))) {
            moved++;
            assertEquals(joining, next.ownerOf(p), "partition " + p + " moved between old nodes");
          }
        }
        assertTrue(moved <= ceilDiv(q, s + 1), "Q=" + q + " S=" + s + " moved " + moved);
        assertTrue(moved >= q / (s + 1), "Q=" + q + " S=" + s + " moved only " + moved);
        ring = next;
      }
    }
  }

  @Test
  void fromMembersIgnoresInputOrder() {
    Random random = new Random(3);
    for (int q : SIZES) {
      List<Member> members = new ArrayList<>();
      for (String id : randomIds(random, 1 + random.nextInt(MAX_NODES))) {
        // Few distinct times, so the id tie-break is exercised too.
        members.add(new Member(id, random.nextInt(4)));
      }
      Ring expected = Ring.fromMembers(q, members);
      assertEquals(members.size(), expected.version());
      for (int shuffle = 0; shuffle < 5; shuffle++) {
        Collections.shuffle(members, random);
        Ring again = Ring.fromMembers(q, members);
        assertArrayEquals(expected.ownersArray(), again.ownersArray());
        assertEquals(expected, again);
      }
    }
  }

  @Test
  void fromMembersReplaysJoinsInJoinTimeOrder() {
    List<Member> members = List.of(new Member("c", 30), new Member("a", 20), new Member("b", 10));
    Ring replayed = Ring.fromMembers(64, members);
    Ring byHand = Ring.initial(64, "b").withNode("a").withNode("c");
    assertEquals(byHand, replayed);
  }

  @Test
  void fromMembersKeepsEarliestJoinOfADuplicatedId() {
    List<Member> members = List.of(
        new Member("a", 10), new Member("b", 20), new Member("c", 30), new Member("a", 40));
    Ring ring = Ring.fromMembers(64, members);
    assertEquals(3, ring.version());
    assertEquals(Ring.fromMembers(64, members.subList(0, 3)), ring);
  }

  @Test
  void joiningAnUnbalancedRingStillBalancesIt() {
    Random random = new Random(13);
    for (int trial = 0; trial < 50; trial++) {
      int q = 1 + random.nextInt(200);
      Ring skewed = RingTest.randomOwners(random, q, 1 + random.nextInt(6));
      // Give one node a large chunk so the input is far from balanced.
      String[] owners = skewed.ownersArray();
      Arrays.fill(owners, 0, q / 2, "n0");
      Ring ring = Ring.of(q, 1, owners).withNode("late");
      List<String> members = new ArrayList<>(Ring.of(q, 1, owners).nodes());
      members.add("late");
      assertBalanced(ring, members);
    }
  }

  @Test
  void manyNodesStayBalancedAndMoveLittle() {
    Random random = new Random(14);
    List<String> ids = randomIds(random, 60);
    Ring ring = Ring.initial(256, ids.get(0));
    for (int s = 2; s <= ids.size(); s++) {
      Ring next = ring.withNode(ids.get(s - 1));
      int moved = 0;
      for (int p = 0; p < 256; p++) {
        moved += ring.ownerOf(p).equals(next.ownerOf(p)) ? 0 : 1;
      }
      assertTrue(moved <= ceilDiv(256, s), "S=" + s + " moved " + moved);
      assertBalanced(next, ids.subList(0, s));
      ring = next;
    }
  }

  @Test
  void joiningTwiceChangesNothing() {
    Ring ring = Ring.initial(64, "a").withNode("b");
    assertSame(ring, ring.withNode("b"));
    assertSame(ring, ring.withNode("a"));
  }

  @Test
  void moreNodesThanPartitionsLeavesSomeOwningNothing() {
    Ring ring = Ring.initial(4, "n0");
    for (int i = 1; i < 6; i++) {
      ring = ring.withNode("n" + i);
    }
    assertEquals(6, ring.version());
    assertEquals(4, ring.nodes().size());
    ring.ownedCounts().values().forEach(c -> assertEquals(1, c));
  }

  /**
   * With N = 3 the first three partitions from p should have three distinct owners, so that the
   * preference list needs no skipping and replica load stays balanced. Prints the count.
   */
  @Test
  void consecutiveOwnersRarelyRepeat() {
    Random random = new Random(4);
    for (int q : new int[] {64, 256, 1024}) {
      for (int trial = 0; trial < 3; trial++) {
        List<String> ids = randomIds(random, MAX_NODES);
        Ring ring = Ring.initial(q, ids.get(0));
        StringBuilder report = new StringBuilder("Q=" + q + " windows with a repeat, S=3..12:");
        for (int s = 2; s <= MAX_NODES; s++) {
          ring = ring.withNode(ids.get(s - 1));
          if (s >= 3) {
            int repeats = windowsWithRepeats(ring, 3);
            report.append(' ').append(repeats);
            // Where Q mod S != 0 the layout cannot be periodic across the wrap: allow 2.
            assertTrue(repeats <= 2, "Q=" + q + " S=" + s + ": " + repeats + " repeats");
          }
        }
        System.out.println(report);
      }
    }
  }

  /** A leave moves only the leaver's partitions, keeps the rest balanced and adds few repeats. */
  @Test
  void removingANodeMovesOnlyItsPartitionsAndStaysBalanced() {
    Random random = new Random(11);
    for (int q : new int[] {64, 256, 1024}) {
      List<String> ids = randomIds(random, MAX_NODES);
      Ring ring = Ring.initial(q, ids.get(0));
      for (int s = 2; s <= MAX_NODES; s++) {
        ring = ring.withNode(ids.get(s - 1));
        List<String> members = ids.subList(0, s);
        for (String leaving : members) {
          Ring after = ring.withoutNode(leaving);
          List<String> rest = members.stream().filter(m -> !m.equals(leaving)).toList();
          assertBalanced(after, rest);
          for (int p = 0; p < q; p++) {
            if (!ring.ownerOf(p).equals(leaving)) {
              assertEquals(ring.ownerOf(p), after.ownerOf(p), "Q=" + q + " S=" + s + ": only the leaver's move");
            }
          }
          if (s >= 4) {
            assertTrue(windowsWithRepeats(after, 3) <= windowsWithRepeats(ring, 3) + 3 * q / s,
                "Q=" + q + " S=" + s + " without " + leaving + ": " + windowsWithRepeats(after, 3));
          }
        }
      }
    }
  }

  static int windowsWithRepeats(Ring ring, int n) {
    int q = ring.partitions();
    int bad = 0;
    for (int p = 0; p < q; p++) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < n; i++) {
        seen.add(ring.ownerOf((p + i) % q));
      }
      if (seen.size() < n) {
        bad++;
      }
    }
    return bad;
  }

  private static void assertBalanced(Ring ring, List<String> members) {
    int q = ring.partitions();
    int s = members.size();
    int total = 0;
    for (String m : members) {
      int owned = ring.ownedCounts().getOrDefault(m, 0);
      total += owned;
      assertTrue(owned >= q / s && owned <= ceilDiv(q, s),
          "Q=" + q + " S=" + s + ": " + m + " owns " + owned);
    }
    assertEquals(q, total, "some partition is owned by a non-member");
  }

  static List<String> randomIds(Random random, int count) {
    Set<String> ids = new HashSet<>();
    List<String> out = new ArrayList<>();
    while (out.size() < count) {
      String id = "node-" + Integer.toHexString(random.nextInt(1 << 20));
      if (ids.add(id)) {
        out.add(id);
      }
    }
    return out;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
