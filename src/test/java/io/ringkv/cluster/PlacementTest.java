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
    state.updateRing(Ring.fromMembers(16, List.of(new Member("n1", 0), new Member("n2", 1))));
    assertEquals(2, state.placement().homeReplicas(5).size());
    assertEquals(3, state.placement().n());
  }
}
