package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.coordinator.QuorumTracker.Outcome;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuorumTrackerTest {

  @Test
  void reachedAtTheRequiredSuccessWithoutWaitingForTheRest() {
    QuorumTracker t = new QuorumTracker(3, 2);
    assertEquals(Outcome.PENDING, t.onSuccess());
    assertEquals(Outcome.REACHED, t.onSuccess());
    assertEquals(Outcome.REACHED, t.onFailure(), "a late failure does not undo a reached quorum");
    assertTrue(t.allAnswered());
  }

  @Test
  void failedAsSoonAsTooFewAreLeft() {
    QuorumTracker t = new QuorumTracker(3, 3);
    assertEquals(Outcome.FAILED, t.onFailure());
    QuorumTracker two = new QuorumTracker(3, 2);
    assertEquals(Outcome.PENDING, two.onFailure());
    assertEquals(Outcome.FAILED, two.onFailure());
  }

  @Test
  void aQuorumLargerThanTheReplicasNeverSucceeds() {
    QuorumTracker t = new QuorumTracker(1, 2);
    assertEquals(Outcome.FAILED, t.outcome());
  }

  @Test
  void moreAnswersThanReplicasIsAProgrammingError() {
    QuorumTracker t = new QuorumTracker(1, 1);
    t.onSuccess();
    assertThrows(IllegalStateException.class, t::onSuccess);
  }

  /** Property: against a trivial model, for every order of answers. */
  @Test
  void matchesTheCountingModelForRandomAnswerSequences() {
    Random random = new Random(42);
    for (int run = 0; run < 5_000; run++) {
      int total = 1 + random.nextInt(7);
      int required = 1 + random.nextInt(total + 1);
      QuorumTracker t = new QuorumTracker(total, required);
      int ok = 0;
      int failed = 0;
      for (int i = 0; i < total; i++) {
        boolean success = random.nextBoolean();
        Outcome outcome = success ? t.onSuccess() : t.onFailure();
        ok += success ? 1 : 0;
        failed += success ? 0 : 1;
        Outcome expected = ok >= required ? Outcome.REACHED
            : total - failed < required ? Outcome.FAILED : Outcome.PENDING;
        assertEquals(expected, outcome, "total=" + total + " required=" + required + " ok=" + ok + " failed=" + failed);
      }
      assertTrue(t.allAnswered());
      assertTrue(t.outcome() != Outcome.PENDING, "decided once everyone answered");
    }
  }
}
