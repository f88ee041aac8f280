package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringkv.ring.Member;
import io.ringkv.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final Ring FIVE = Ring.fromMembers(64, List.of(new Member("n1", 1), new Member("n2", 2),
      new Member("n3", 3), new Member("n4", 4), new Member("n5", 5)));

  @Test
  void homeReplicasAreTheOwnerThenTheNextDistinctOwnersClockwise() {
    Placement placement = new Placement(FIVE, 3);
    for (int p = 0; p < FIVE.partitions(); p++) {
      List<String> homes = placement.homeReplicas(p);
      assertEquals(3, homes.size());
      assertEquals(3, new HashSet<>(homes).size(), "distinct nodes");
      assertEquals(FIVE.ownerOf(p), homes.get(0));
      // Every node strictly between two listed owners clockwise is one already listed.
      int found = 1;
      for (int step = 1; found < 3; step++) {
        String owner = FIVE.ownerOf((p + step) % FIVE.partitions());
        if (!homes.subList(0, found).contains(owner)) {
          assertEquals(owner, homes.get(found), "partition " + p + " step " + step);
          found++;
        }
      }
    }
  }

  @Test
  void aKeyMapsToItsPartitionsHomes() {
    Placement placement = new Placement(FIVE, 2);
    byte[] key = "user/42".getBytes(StandardCharsets.UTF_8);
    int partition = placement.partitionOf(key);
    assertEquals(FIVE.partitionOf(key), partition);
    assertEquals(FIVE.preferenceList(key, 2), placement.homeReplicas(partition));
  }

  @Test
  void fewerNodesThanNGiveEveryNodeOnce() {
    Ring two = Ring.fromMembers(16, List.of(new Member("a", 1), new Member("b", 2)));
    Placement placement = new Placement(two, 3);
    for (int p = 0; p < 16; p++) {
      assertEquals(2, placement.homeReplicas(p).size());
      assertEquals(two.ownerOf(p), placement.homeReplicas(p).get(0));
    }
  }

  @Test
  void refusesNonPositiveN() {
    assertThrows(IllegalArgumentException.class, () -> new Placement(FIVE, 0));
  }

  @Test
  void clusterStateSwapsPlacementWithTheRing() {
    Ring one = Ring.initial(16, "n1");
    ClusterState state = new ClusterState("n1", 3,
        one, new MembershipTable(new MemberInfo("n1", "h", 1, "dc1", 0, 0, 0), 100, 200, 0));
    assertEquals(List.of("n1"), state.placement().homeReplicas(5));
    state.adopt(io.ringkv.ring.RingState.fromMembers(16, List.of(new Member("n1", 0), new Member("n2", 1))));
    assertEquals(2, state.placement().homeReplicas(5).size());
    assertEquals(3, state.placement().n());
  }

  private static Liveness downs(String... down) {
    java.util.Map<String, MemberStatus> statuses = new java.util.HashMap<>();
    for (String node : FIVE.nodes()) {
      statuses.put(node, MemberStatus.UP);
    }
    for (String d : down) {
      statuses.put(d, MemberStatus.DOWN);
    }
    return new Liveness(statuses);
  }

  @Test
  void withEveryoneUpThePlanIsTheHomes() {
    Placement placement = new Placement(FIVE, 3);
    for (int p = 0; p < FIVE.partitions(); p++) {
      ReplicaPlan plan = placement.plan(p, downs(), true);
      assertEquals(placement.homeReplicas(p), plan.liveHomes());
      assertEquals(3, plan.targets().size());
      assertEquals(List.of(), plan.unplaced());
      assertEquals(3, plan.countable(true));
    }
  }

  @Test
  void eachDownHomeGetsTheNextHealthyNodeBeyondThePreferenceListAsFallback() {
    Placement placement = new Placement(FIVE, 3);
    for (int p = 0; p < FIVE.partitions(); p++) {
      List<String> homes = placement.homeReplicas(p);
      List<String> clockwise = FIVE.preferenceList(p, 5);
      // Both non-home nodes in clockwise order; kill the first and third home.
      ReplicaPlan plan = placement.plan(p, downs(homes.get(0), homes.get(2)), true);
      assertEquals(List.of(homes.get(1)), plan.liveHomes());
      assertEquals(List.of(new ReplicaPlan.Target(homes.get(1), null),
          new ReplicaPlan.Target(clockwise.get(3), homes.get(0)),
          new ReplicaPlan.Target(clockwise.get(4), homes.get(2))), plan.targets(), "partition " + p);
      assertEquals(3, plan.countable(true), "sloppy: fallbacks count");
      assertEquals(1, plan.countable(false), "sloppy=false: only homes count");
    }
  }

  @Test
  void aDownNodeIsNeverAFallbackAndAHomeWithoutOneIsUnplaced() {
    Placement placement = new Placement(FIVE, 3);
    for (int p = 0; p < FIVE.partitions(); p++) {
      List<String> homes = placement.homeReplicas(p);
      List<String> clockwise = FIVE.preferenceList(p, 5);
      // The first candidate fallback is down too: the second one stands in for the down home.
      ReplicaPlan plan = placement.plan(p, downs(homes.get(1), clockwise.get(3)), true);
      assertEquals(List.of(new ReplicaPlan.Target(homes.get(0), null), new ReplicaPlan.Target(homes.get(2), null),
          new ReplicaPlan.Target(clockwise.get(4), homes.get(1))), plan.targets());
      // Three down: two homes and a candidate; one home is left without a fallback.
      ReplicaPlan short1 = placement.plan(p, downs(homes.get(0), homes.get(1), clockwise.get(3)), true);
      assertEquals(List.of(new ReplicaPlan.Target(homes.get(2), null),
          new ReplicaPlan.Target(clockwise.get(4), homes.get(0))), short1.targets());
      assertEquals(List.of(homes.get(1)), short1.unplaced());
    }
  }

  @Test
  void withoutFallbacksDownHomesAreUnplaced() {
    Placement placement = new Placement(FIVE, 3);
    List<String> homes = placement.homeReplicas(7);
    ReplicaPlan plan = placement.plan(7, downs(homes.get(0)), false);
    assertEquals(List.of(homes.get(1), homes.get(2)), plan.liveHomes());
    assertEquals(2, plan.targets().size());
    assertEquals(List.of(homes.get(0)), plan.unplaced());
  }

  @Test
  void threeNodesWithNThreeHaveNoFallbackLeft() {
    Ring three = Ring.fromMembers(32, List.of(new Member("a", 1), new Member("b", 2), new Member("c", 3)));
    Placement placement = new Placement(three, 3);
    Liveness bDown = new Liveness(java.util.Map.of("a", MemberStatus.UP, "b", MemberStatus.DOWN,
        "c", MemberStatus.SUSPECT));
    for (int p = 0; p < 32; p++) {
      ReplicaPlan plan = placement.plan(p, bDown, true);
      assertEquals(2, plan.targets().size(), "a suspect home still gets requests");
      assertEquals(List.of("b"), plan.unplaced());
    }
  }
}
