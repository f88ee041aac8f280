package io.ringkv.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");
  private static final List<FaultKind> ALL = List.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.PARTITION);

  private static List<Episode> episodes(long seed, List<String> nodes, int maxFaulty, List<FaultKind> kinds, int n) {
    FaultSchedule schedule = new FaultSchedule(seed, nodes, maxFaulty, kinds);
    List<Episode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(schedule.next());
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameEpisodes() {
    assertEquals(episodes(42, FIVE, 2, ALL, 50), episodes(42, FIVE, 2, ALL, 50));
    assertNotEquals(episodes(42, FIVE, 2, ALL, 50), episodes(43, FIVE, 2, ALL, 50));
  }

  @Test
  void neverMoreThanMaxFaultyDistinctNodesAndAtMostOneNetworkCut() {
    for (long seed = 0; seed < 200; seed++) {
      for (Episode e : episodes(seed, FIVE, 2, List.of(FaultKind.values()), 12)) {
        List<String> nodes = e.nodes();
        assertTrue(nodes.size() >= 1 && nodes.size() <= 2, e.toString());
        assertEquals(nodes.size(), new HashSet<>(nodes).size(), "distinct nodes: " + e);
        assertTrue(FIVE.containsAll(nodes));
        assertTrue(e.actions().stream().filter(a -> a.kind().cutsNetwork()).count() <= 1, e.toString());
        assertTrue(e.gapMs() >= FaultSchedule.MIN_GAP_MS && e.gapMs() <= FaultSchedule.MAX_GAP_MS);
        assertTrue(e.holdMs() >= FaultSchedule.MIN_HOLD_MS && e.holdMs() <= FaultSchedule.MAX_HOLD_MS);
        e.actions().stream().filter(a -> a.kind() == FaultKind.WIPE)
            .forEach(a -> assertEquals(1, a.nodes().size(), "a wipe hits one node: " + e));
      }
    }
    for (Episode e : episodes(7, List.of("n1", "n2"), 1, ALL, 30)) {
      assertEquals(1, e.nodes().size(), "two nodes, N=2: one fault at a time");
    }
  }

  @Test
  void everyKindLeadsOneEpisodePerRound() {
    List<Episode> eps = episodes(3, FIVE, 2, ALL, 9);
    for (int round = 0; round < 3; round++) {
      Set<FaultKind> leading = EnumSet.noneOf(FaultKind.class);
      for (Episode e : eps.subList(round * 3, round * 3 + 3)) {
        leading.add(e.actions().get(0).kind());
      }
      assertEquals(EnumSet.copyOf(ALL), leading, "round " + round);
    }
  }

  @Test
  void doubleFaultsAndMixedEpisodesHappen() {
    List<Episode> eps = episodes(11, FIVE, 2, ALL, 100);
    assertTrue(eps.stream().anyMatch(e -> e.actions().size() == 1 && e.nodes().size() == 2
        && e.actions().get(0).kind() == FaultKind.KILL), "a double kill");
    assertTrue(eps.stream().anyMatch(e -> e.actions().size() == 2), "two kinds at once");
  }

  @Test
  void parsesKindsAndRefusesUnknownOnes() {
    assertEquals(ALL, FaultKind.parseList("kill, pause,partition"));
    assertThrows(IllegalArgumentException.class, () -> FaultKind.parseList("kill,explode"));
    assertThrows(IllegalArgumentException.class, () -> FaultKind.parseList("kill,kill"));
    assertThrows(IllegalArgumentException.class, () -> new FaultSchedule(1, FIVE, 5, ALL));
    assertEquals("partition {n2,n3} | rest", new FaultAction(FaultKind.PARTITION, List.of("n2", "n3")).describe());
  }
}
