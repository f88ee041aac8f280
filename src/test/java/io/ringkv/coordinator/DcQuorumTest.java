package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.cluster.Consistency;
import io.ringkv.coordinator.QuorumTracker.Outcome;
import io.ringkv.ring.Replication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quorum counting by DC, against a brute-force model over random answer orders. */
class DcQuorumTest {
  private final Replication twoDcs = Replication.parse("dc1:3,dc2:3", 3);

  @Test
  void localQuorumIsReachedWithoutTheOtherDc() {
    DcQuorum q = new DcQuorum(Map.of("dc1", 3, "dc2", 3),
        Consistency.requirement(Consistency.LOCAL_QUORUM, twoDcs, "dc1"));
    assertEquals(Outcome.PENDING, q.success("dc2", 3));
    assertEquals(Outcome.PENDING, q.success("dc1", 1));
    assertEquals(Outcome.REACHED, q.success("dc1", 1));
  }

  @Test
  void eachQuorumFailsAsSoonAsOneDcCannotMakeIt() {
    DcQuorum q = new DcQuorum(Map.of("dc1", 3, "dc2", 3),
        Consistency.requirement(Consistency.EACH_QUORUM, twoDcs, "dc1"));
    q.success("dc1", 3);
    assertEquals(Outcome.PENDING, q.failure("dc2", 1));
    assertEquals(Outcome.FAILED, q.failure("dc2", 1));
    assertFalse(q.allAnswered());
    q.failure("dc2", 1);
    assertTrue(q.allAnswered());
    assertEquals("dc1:2:3,dc2:2:0", q.byDc());
  }

  @Test
  void aDcWithNoReachableReplicaFailsAtOnce() {
    DcQuorum q = new DcQuorum(Map.of("dc1", 3, "dc2", 0),
        Consistency.requirement(Consistency.EACH_QUORUM, twoDcs, "dc1"));
    assertEquals(Outcome.FAILED, q.outcome());
  }

  @Test
  void matchesTheModelOverRandomAnswers() {
    Random random = new Random(7);
    int[] levels = {Consistency.LOCAL_ONE, Consistency.LOCAL_QUORUM, Consistency.EACH_QUORUM, 1, 4, 6};
    for (int trial = 0; trial < 2_000; trial++) {
      int level = levels[random.nextInt(levels.length)];
      Map<String, Integer> expected = new LinkedHashMap<>(Map.of("dc1", random.nextInt(4), "dc2", random.nextInt(4)));
      Consistency.Requirement req = Consistency.requirement(level, twoDcs, "dc1");
      DcQuorum q = new DcQuorum(expected, req);
      Map<String, Integer> ok = new HashMap<>();
      Map<String, Integer> left = new HashMap<>(expected);
      boolean decided = false;
      for (String dc : shuffledAnswers(random, expected)) {
        boolean success = random.nextBoolean();
        Outcome got = success ? q.success(dc, 1) : q.failure(dc, 1);
        if (success) {
          ok.merge(dc, 1, Integer::sum);
        }
        left.merge(dc, -1, Integer::sum);
        Map<String, Integer> best = new HashMap<>(ok);
        left.forEach((d, n) -> best.merge(d, n, Integer::sum));
        Outcome want = req.metBy(ok) ? Outcome.REACHED : req.metBy(best) ? Outcome.PENDING : Outcome.FAILED;
        if (!decided) {
          assertEquals(want, got, "trial " + trial);
        }
        decided |= want != Outcome.PENDING;
      }
      assertTrue(q.allAnswered());
    }
  }

  private static List<String> shuffledAnswers(Random random, Map<String, Integer> expected) {
    List<String> answers = new ArrayList<>();
    expected.forEach((dc, n) -> {
      for (int i = 0; i < n; i++) {
        answers.add(dc);
      }
    });
    Collections.shuffle(answers, random);
    return answers;
  }
}
