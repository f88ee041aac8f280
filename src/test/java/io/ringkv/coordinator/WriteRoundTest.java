package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringkv.cluster.ReplicaPlan;
import io.ringkv.cluster.ReplicaPlan.Target;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteRoundTest {
  private static final Target N1 = new Target("n1", null);
  private static final Target N2 = new Target("n2", null);
  private static final Target N4_FOR_N3 = new Target("n4", "n3");
  private static final ReplicaPlan PLAN = new ReplicaPlan(0, List.of("n1", "n2", "n3"), List.of(N1, N2, N4_FOR_N3),
      List.of());

  private static SiblingSet one(String actor, String value) {
    return SiblingSet.of(List.of(new Version(new Dot(actor, 1), VersionVector.empty(), 1, false, "text/plain",
        value.getBytes())));
  }

  @Test
  void aFallbackCountsTowardWWhenSloppy() {
    WriteRound round = new WriteRound(PLAN, 2, true, ConflictMode.SIBLINGS, one("n1", "a"));
    assertEquals(QuorumTracker.Outcome.PENDING, round.ownCopy(true));
    assertEquals(QuorumTracker.Outcome.REACHED, round.answer(N4_FOR_N3, true, null));
  }

  @Test
  void aFallbackDoesNotCountWhenNotSloppy() {
    WriteRound round = new WriteRound(PLAN, 2, false, ConflictMode.SIBLINGS, one("n1", "a"));
    assertEquals(QuorumTracker.Outcome.PENDING, round.ownCopy(true));
    assertEquals(QuorumTracker.Outcome.PENDING, round.answer(N4_FOR_N3, true, null));
    assertEquals(QuorumTracker.Outcome.REACHED, round.answer(N2, true, null));
  }

  @Test
  void failsAsSoonAsWCanNoLongerBeReached() {
    WriteRound round = new WriteRound(PLAN, 3, false, ConflictMode.SIBLINGS, one("n1", "a"));
    assertEquals(QuorumTracker.Outcome.FAILED, round.tracker.outcome(), "only two answers could count");
    round.ownCopy(true);
    round.answer(N2, true, null);
    assertEquals(2, round.tracker.successes());
    assertEquals(true, round.tracker.allAnswered());
  }

  @Test
  void siblingsAReplicaHoldsAreKnownToTheAnswer() {
    WriteRound round = new WriteRound(PLAN, 2, true, ConflictMode.SIBLINGS, one("n1", "a"));
    round.ownCopy(true);
    round.answer(N2, true, one("n2", "b").merge(one("n1", "a"), ConflictMode.SIBLINGS));
    assertEquals(2, round.known().versions().size());
    round.answer(N4_FOR_N3, false, one("n9", "ignored"));
    assertEquals(2, round.known().versions().size(), "a failed answer adds nothing");
  }
}
