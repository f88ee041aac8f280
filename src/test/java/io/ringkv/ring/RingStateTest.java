package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingStateTest {
  private static final int Q = 256;

  /** A ring of {@code size} members built by joins, each finished. */
  static RingState grown(int size) {
    RingState s = RingState.founding(Q, "n1");
    for (int i = 2; i <= size; i++) {
      s = s.join("n" + i).finish();
    }
    return s;
  }

  private static int ceil(int q, int s) {
    return (q + s - 1) / s;
  }

  @Test
  void aJoinMovesAboutQOverSPlusOnePartitionsToTheJoinerOnlyAndStaysBalanced() {
    for (int size = 1; size <= 8; size++) {
      RingState before = grown(size);
      RingState joining = before.join("x");
      assertEquals(before.version() + 1, joining.version());
      assertEquals(Membership.JOINING, joining.membership("x"));
      assertEquals(before.ring().ownedCounts(), joining.ring().ownedCounts(), "nothing moves until it finishes");
      int moved = joining.movingPartitions();
      int expected = Q / (size + 1);
      assertTrue(moved >= expected && moved <= expected + 1, size + " nodes: moved " + moved);
      for (int p = 0; p < Q; p++) {
        String to = joining.futureRing().ownerOf(p);
        assertTrue(to.equals(before.ring().ownerOf(p)) || to.equals("x"), "only to the joiner");
      }
      RingState done = joining.finish();
      assertEquals(Membership.MEMBER, done.membership("x"));
      int max = ceil(Q, size + 1);
      assertTrue(done.ring().ownedCounts().values().stream().allMatch(c -> c <= max));
      assertEquals(joining.futureRing().ownersArray().length, done.ring().ownersArray().length);
    }
  }

  @Test
  void aLeaveMovesOnlyTheLeaversPartitionsAndEndsLeft() {
    RingState five = grown(5);
    RingState leaving = five.leave("n2");
    assertEquals(Membership.LEAVING, leaving.membership("n2"));
    assertEquals(five.ring().ownedCounts().get("n2"), leaving.movingPartitions());
    for (int p = 0; p < Q; p++) {
      if (!five.ring().ownerOf(p).equals("n2")) {
        assertEquals(five.ring().ownerOf(p), leaving.futureRing().ownerOf(p));
      }
    }
    RingState left = leaving.finish();
    assertEquals(Membership.LEFT, left.membership("n2"));
    assertNull(left.ring().ownedCounts().get("n2"));
    assertTrue(left.ring().ownedCounts().values().stream().allMatch(c -> c <= ceil(Q, 4)));
    assertEquals(List.of("n1", "n3", "n4", "n5"), left.voters());
    assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), leaving.voters(), "a leaver votes until it has left");
    assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), five.join("n6").voters(), "a joiner does not vote yet");
  }

  @Test
  void changesAreSerialisedAndCheckedAgainstMembership() {
    RingState three = grown(3);
    RingState joining = three.join("n4");
    RingChangeException busy = assertThrows(RingChangeException.class, () -> joining.leave("n2"));
    assertEquals(RingChangeException.Reason.CONFLICT, busy.reason());
    assertThrows(RingChangeException.class, () -> joining.join("n5"));
    assertThrows(RingChangeException.class, () -> three.join("n2"), "already a member");
    assertEquals(RingChangeException.Reason.UNKNOWN_MEMBER,
        assertThrows(RingChangeException.class, () -> three.leave("n9")).reason());
    assertThrows(RingChangeException.class, three::finish, "nothing to finish");
    assertThrows(RingChangeException.class, () -> RingState.founding(Q, "solo").leave("solo"));
  }

  @Test
  void removingAJoiningNodeRollsTheJoinBack() {
    RingState three = grown(3);
    RingState cancelled = three.join("n4").leave("n4");
    assertEquals(three.version() + 2, cancelled.version());
    assertNull(cancelled.membership("n4"));
    assertTrue(!cancelled.changeInProgress());
    assertEquals(three.ring().ownedCounts(), cancelled.ring().ownedCounts());
  }

  @Test
  void transfersNameEveryFutureHomeThatIsNotACurrentOne() {
    RingState joining = grown(4).join("n5");
    List<RingState.Transfer> transfers = joining.transfers(3);
    Set<Integer> partitions = new HashSet<>();
    for (RingState.Transfer t : transfers) {
      assertEquals("n5", t.target(), "on a join only the joiner receives copies");
      assertEquals(joining.ring().preferenceList(t.partition(), 3), t.sources());
      assertTrue(partitions.add(t.partition()));
    }
    // The joiner becomes a home of every partition within N-1 before one it owns.
    int owned = joining.futureRing().ownedCounts().get("n5");
    assertTrue(transfers.size() >= owned && transfers.size() <= 3 * owned, transfers.size() + " for " + owned);
    assertEquals(List.of(), grown(4).transfers(3));
  }

  @Test
  void encodesEveryStateExactly() {
    RingState three = grown(3);
    for (RingState s : List.of(RingState.founding(1, "a"), three, three.join("n4"), three.leave("n1"),
        three.leave("n1").finish(), RingState.fromMembers(64, List.of(new Member("a", 5), new Member("b", 2))))) {
      assertEquals(s, RingCodec.decodeState(RingCodec.encodeState(s)));
    }
    byte[] bytes = RingCodec.encodeState(three.join("n4"));
    bytes[bytes.length / 2] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> RingCodec.decodeState(bytes));
  }

  @Test
  void theRingOfEarlierVersionsBecomesAnAgreedStateOfMembers() {
    RingState s = RingState.fromMembers(Q, List.of(new Member("n1", 1), new Member("n2", 2), new Member("n3", 3)));
    assertEquals(Map.of("n1", Membership.MEMBER, "n2", Membership.MEMBER, "n3", Membership.MEMBER), s.members());
    assertEquals(Ring.fromMembers(Q, List.of(new Member("n1", 1), new Member("n2", 2), new Member("n3", 3))),
        s.ring());
  }
}
