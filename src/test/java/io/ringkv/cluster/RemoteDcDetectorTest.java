package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure detector across DCs: members of another DC get their own thresholds, and a steady
 * stream of heartbeats that each arrive late (a slow WAN link) never makes a member suspect.
 */
class RemoteDcDetectorTest {
  private static MemberInfo info(String id, String dc, long heartbeat) {
    return new MemberInfo(id, "127.0.0.1", 8080, dc, 0, 1, heartbeat);
  }

  @Test
  void membersOfAnotherDcUseTheRemoteThresholds() {
    MembershipTable t = new MembershipTable(info("n1", "dc1", 0), 1_000, 2_500, 0);
    t.remoteDcTimeouts(2_000, 5_000);
    t.merge(List.of(info("n2", "dc1", 1), info("n4", "dc2", 1)), 0);
    assertEquals(MemberStatus.SUSPECT, t.status("n2", 1_500));
    assertEquals(MemberStatus.UP, t.status("n4", 1_500));
    assertEquals(MemberStatus.DOWN, t.status("n2", 3_000));
    assertEquals(MemberStatus.SUSPECT, t.status("n4", 3_000));
    assertEquals(MemberStatus.DOWN, t.status("n4", 5_000));
  }

  @Test
  void latencyAloneNeverMakesAMemberSuspect() {
    MembershipTable t = new MembershipTable(info("n1", "dc1", 0), 1_000, 2_500, 0);
    t.remoteDcTimeouts(2_000, 5_000);
    long delay = 1_500; // every heartbeat arrives 1.5 s after it was sent
    for (long sent = 0; sent < 60_000; sent += 200) {
      long arrives = sent + delay;
      t.merge(List.of(info("n4", "dc2", sent / 200 + 1)), arrives);
      assertEquals(MemberStatus.UP, t.status("n4", arrives + 199), "at " + arrives);
    }
  }

  @Test
  void withoutRemoteThresholdsEveryMemberUsesTheLocalOnes() {
    MembershipTable t = new MembershipTable(info("n1", "dc1", 0), 1_000, 2_500, 0);
    t.merge(List.of(info("n4", "dc2", 1)), 0);
    assertEquals(MemberStatus.SUSPECT, t.status("n4", 1_500));
  }
}
