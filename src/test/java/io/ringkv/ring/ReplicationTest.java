package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Placement per DC, property-style: random DCs, random join and leave orders; after every change
 * each key has N distinct replicas in each DC, all of that DC, the DC's load is balanced, and a
 * change moved only the changing node's share, inside its own DC.
 */
class ReplicationTest {

  @Test
  void parsesAndRefusesWithOneLineReasons() {
    Replication r = Replication.parse(" dc2:2, dc1:3 ", 3);
    assertEquals(List.of("dc1", "dc2"), r.dcs());
    assertEquals(5, r.n());
    assertEquals(3, r.n("dc1"));
    assertEquals("dc1:3,dc2:2", r.text());
    assertEquals(0, r.slot("dc1"));
    assertEquals(1, r.slot("dc2"));
    assertEquals(-1, r.slot("dc3"));
    assertEquals(false, Replication.parse("", 3).multiDc());
    for (String bad : List.of("dc1", "dc1:", ":3", "dc1:0", "dc1:10", "dc1:x", "dc1:3,dc1:2", "d c:3")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Replication.parse(bad, 3));
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void oneRingIsExactlyThePreferenceList() {
    Ring ring = Ring.fromMembers(64, List.of(new Member("a", 1), new Member("b", 2), new Member("c", 3),
        new Member("d", 4)));
    Replication single = Replication.single(3);
    for (int p = 0; p < 64; p++) {
      assertEquals(ring.preferenceList(p, 3), single.homes(ring, p));
    }
  }

  @Test
  void randomJoinsAndLeavesKeepReplicasPerDcDistinctBalancedAndMovesSmall() {
    Random random = new Random(22);
    for (int trial = 0; trial < 12; trial++) {
      int q = List.of(64, 128, 256, 255).get(trial % 4);
      int dcCount = 2 + random.nextInt(2);
      StringBuilder text = new StringBuilder();
      for (int d = 1; d <= dcCount; d++) {
        text.append(d > 1 ? "," : "").append("dc").append(d).append(':').append(1 + random.nextInt(3));
      }
      Replication replication = Replication.parse(text.toString(), 3);
      playRandomHistory(random, q, replication);
    }
  }

  private void playRandomHistory(Random random, int q, Replication replication) {
    leftDcs.clear();
    RingState state = RingState.founding(q, "n0", "dc1", replication);
    Map<String, String> dcOf = new HashMap<>(Map.of("n0", "dc1"));
    List<String> members = new ArrayList<>(List.of("n0"));
    int next = 1;
    for (int step = 0; step < 16; step++) {
      boolean leave = members.size() > replication.dcs().size() * 2 && random.nextInt(4) == 0;
      RingState before = state;
      if (leave) {
        String id = members.get(random.nextInt(members.size()));
        String dc = dcOf.get(id);
        if (members.stream().filter(m -> dcOf.get(m).equals(dc)).count() < 2) {
          assertThrows(RingChangeException.class, () -> before.leave(id));
          continue;
        }
        state = state.leave(id).finish();
        leftDcs.add(dc);
        members.remove(id);
        assertMovedOnlyWithin(before, state, dc, dcOf, null);
      } else {
        String id = "n" + next++;
        String dc = replication.dcs().get(random.nextInt(replication.dcs().size()));
        boolean first = members.stream().noneMatch(m -> dcOf.get(m).equals(dc));
        dcOf.put(id, dc);
        state = state.join(id, dc).finish();
        members.add(id);
        assertMovedOnlyWithin(before, state, dc, dcOf, first ? null : id);
      }
      assertPlacement(state, replication, dcOf, members);
      assertEquals(state, RingCodec.decodeState(RingCodec.encodeState(state)));
    }
  }

  /** Every partition that changed owner is in {@code dc}'s slot; after a join, it went to the joiner. */
  private void assertMovedOnlyWithin(RingState before, RingState after, String dc, Map<String, String> dcOf,
      String joiner) {
    Replication r = after.replication();
    int moved = 0;
    int slotSize = 0;
    Set<String> dcNodes = new HashSet<>();
    for (int p = 0; p < after.partitions(); p++) {
      if (r.dcOfPartition(p).equals(dc)) {
        slotSize++;
        dcNodes.add(after.ring().ownerOf(p));
      }
      String was = before.ring().ownerOf(p);
      String now = after.ring().ownerOf(p);
      if (!was.equals(now)) {
        moved++;
        assertEquals(dc, r.dcOfPartition(p), "partition " + p + " of another DC moved");
        assertEquals(dc, dcOf.get(now));
        if (joiner != null) {
          assertEquals(joiner, now);
        }
      }
    }
    if (joiner != null) {
      int s = dcNodes.size();
      assertTrue(moved <= (slotSize + s - 1) / s, "moved " + moved + " of " + slotSize + " to the " + s + "th node");
    }
  }

  private final Set<String> leftDcs = new HashSet<>();

  private void assertPlacement(RingState state, Replication r, Map<String, String> dcOf, List<String> members) {
    Map<String, Integer> owned = new HashMap<>();
    Map<String, Integer> load = new HashMap<>();
    for (int p = 0; p < state.partitions(); p++) {
      String owner = state.ring().ownerOf(p);
      String slotDc = r.dcOfPartition(p);
      boolean dcHasNodes = members.stream().anyMatch(m -> dcOf.get(m).equals(slotDc));
      if (dcHasNodes) {
        assertEquals(slotDc, dcOf.get(owner), "partition " + p + " owned outside its DC");
        owned.merge(owner, 1, Integer::sum);
      }
      Map<String, List<String>> byDc = r.homesByDc(state.ring(), p);
      for (String dc : r.dcs()) {
        long inDc = members.stream().filter(m -> dcOf.get(m).equals(dc)).count();
        if (inDc == 0) {
          continue;
        }
        List<String> homes = byDc.get(dc);
        assertEquals(Math.min(r.n(dc), inDc), homes.size(), "partition " + p + " in " + dc + ": " + homes);
        assertEquals(homes.size(), new HashSet<>(homes).size());
        for (String h : homes) {
          assertEquals(dc, dcOf.get(h));
          load.merge(h, 1, Integer::sum);
        }
      }
    }
    for (String dc : r.dcs()) {
      List<String> nodes = members.stream().filter(m -> dcOf.get(m).equals(dc)).toList();
      if (nodes.isEmpty()) {
        continue;
      }
      int min = nodes.stream().mapToInt(m -> owned.getOrDefault(m, 0)).min().orElseThrow();
      int max = nodes.stream().mapToInt(m -> owned.getOrDefault(m, 0)).max().orElseThrow();
      assertTrue(max - min <= 1, dc + " owns unbalanced: " + owned);
      int lmin = nodes.stream().mapToInt(m -> load.getOrDefault(m, 0)).min().orElseThrow();
      int lmax = nodes.stream().mapToInt(m -> load.getOrDefault(m, 0)).max().orElseThrow();
      // Each slot owned makes its owner a replica of D partitions per replica rank.
      int d = r.dcs().size();
      StringBuilder sub = new StringBuilder();
      for (int p = r.slot(dc); p < state.partitions(); p += d) {
        sub.append(state.ring().ownerOf(p)).append(' ');
      }
      // After leaves the claim leaves some neighbouring repeats (as on one ring), so replica load
      // is only near-balanced then; with joins only it is within a few partitions.
      int slack = leftDcs.contains(dc) ? lmin * 3 / 10 : 0;
      assertTrue(lmax - lmin <= 3 * d * r.n(dc) + slack, dc + " replica load unbalanced: " + load + " nodes " + nodes
          + " owned " + owned + " sub " + sub);
    }
  }

  @Test
  void homesListEachDcInOrderAndOneRingStatesEncodeAsBefore() {
    Replication r = Replication.parse("dc1:2,dc2:2", 3);
    RingState state = RingState.founding(16, "a", "dc1", r).join("b", "dc1").finish().join("x", "dc2").finish()
        .join("y", "dc2").finish();
    for (int p = 0; p < 16; p++) {
      List<String> homes = state.homes(p, 99);
      assertEquals(4, homes.size());
      assertEquals(Set.of("a", "b"), Set.copyOf(homes.subList(0, 2)));
      assertEquals(Set.of("x", "y"), Set.copyOf(homes.subList(2, 4)));
    }
    RingState one = RingState.founding(16, "a").join("b").finish();
    byte[] bytes = RingCodec.encodeState(one);
    assertEquals(1, bytes[4], "a one-ring state keeps format 1");
    assertArrayEquals(bytes, RingCodec.encodeState(RingCodec.decodeState(bytes)));
    assertNotEquals(one, RingCodec.decodeState(RingCodec.encodeState(state)));
  }

  @Test
  void aDcOutsideTheReplicationCannotJoin() {
    Replication r = Replication.parse("dc1:3,dc2:3", 3);
    RingState state = RingState.founding(16, "a", "dc1", r);
    assertThrows(RingChangeException.class, () -> state.join("b", "dc9"));
    assertThrows(RingChangeException.class, () -> state.join("b", null));
  }
}
