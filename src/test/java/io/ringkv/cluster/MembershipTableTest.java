package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.ring.Member;
import io.ringkv.ring.Ring;
import io.ringkv.messaging.GossipDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure detector with time as an input: up, suspect, down, and back. */
class MembershipTableTest {
  static MemberInfo info(String id, long joined, long generation, long heartbeat) {
    return new MemberInfo(id, "127.0.0.1", 8080, "dc1", joined, generation, heartbeat);
  }

  @Test
  void aSilentMemberTurnsSuspectThenDownAndUpAgainWhenItsHeartbeatMoves() {
    MembershipTable t = new MembershipTable(info("n1", 0, 1, 0), 2_000, 5_000, 0);
    assertTrue(t.merge(List.of(info("n2", 10, 1, 1)), 0), "a new member is reported");
    assertEquals(MemberStatus.UP, t.status("n2", 1_999));
    assertEquals(MemberStatus.SUSPECT, t.status("n2", 2_000));
    assertEquals(MemberStatus.DOWN, t.status("n2", 5_000));
    assertFalse(t.merge(List.of(info("n2", 10, 1, 1)), 6_000), "the same heartbeat is no news");
    assertEquals(MemberStatus.DOWN, t.status("n2", 6_000));
    t.merge(List.of(info("n2", 10, 1, 2)), 6_000);
    assertEquals(MemberStatus.UP, t.status("n2", 6_000));
    assertEquals(MemberStatus.UP, t.status("n1", 1_000_000), "a node never suspects itself");
  }

  @Test
  void aRestartedMembersNewGenerationWinsOverItsOldHigherHeartbeat() {
    MembershipTable t = new MembershipTable(info("n1", 0, 1, 0), 2_000, 5_000, 0);
    t.merge(List.of(info("n2", 10, 100, 500)), 0);
    t.merge(List.of(info("n2", 10, 200, 1)), 4_000);
    assertEquals(MemberStatus.UP, t.status("n2", 5_500));
    assertEquals(200, t.digest().stream().filter(m -> m.id().equals("n2")).findFirst().orElseThrow().generation());
  }

  @Test
  void membersAreNeverForgottenAndRememberedOnesStartDown() {
    MembershipTable t = new MembershipTable(info("n1", 5, 1, 0), 2_000, 5_000, 0);
    t.restore(List.of(info("n2", 7, 1, 3), info("n1", 5, 1, 0)));
    assertEquals(MemberStatus.DOWN, t.status("n2", 0));
    assertEquals(List.of("n2"), t.peers());
    List<Member> ring = t.ringMembers();
    assertEquals(2, ring.size());
    assertEquals(Ring.fromMembers(16, ring), Ring.fromMembers(16, List.of(new Member("n2", 7), new Member("n1", 5))));
  }

  @Test
  void heartbeatsAndSelfUpdatesKeepTheCounter() {
    MembershipTable t = new MembershipTable(info("n1", 0, 1, 0), 2_000, 5_000, 0);
    t.beat(10);
    t.beat(20);
    t.updateSelf(new MemberInfo("n1", "127.0.0.1", 9999, "dc1", 0, 1, 0));
    assertEquals(2, t.self().heartbeat());
    assertEquals(9999, t.self().httpPort());
    assertFalse(t.merge(List.of(info("n1", 0, 9, 99)), 30), "nobody else speaks for this node");
    assertEquals(2, t.self().heartbeat());
  }

  @Test
  void digestsRoundTripThroughTheirBinaryForm() {
    GossipDigest d = new GossipDigest("n1", List.of(info("n1", 1, 2, 3), info("n2 é", 4, 5, 6)));
    assertEquals(d, GossipDigest.decode(GossipDigest.encode(d)));
  }
}
