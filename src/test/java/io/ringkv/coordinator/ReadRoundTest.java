package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.version.ConflictMode;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadRoundTest {
  static Version blind(String actor, long counter, String value) {
    return new Version(new Dot(actor, counter), VersionVector.empty(), counter, false, "text/plain",
        value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void reconcilesAnswersAndNamesTheStaleReplicas() {
    SiblingSet a = SiblingSet.of(List.of(blind("n1", 1, "a")));
    SiblingSet ab = SiblingSet.of(List.of(blind("n1", 1, "a"), blind("n2", 1, "b")));
    ReadRound round = new ReadRound(List.of("n1", "n2", "n3"), 2, ConflictMode.SIBLINGS);
    assertEquals(QuorumTracker.Outcome.PENDING, round.success("n1", a));
    assertEquals(QuorumTracker.Outcome.REACHED, round.success("n2", ab));
    round.success("n3", SiblingSet.empty());
    assertTrue(round.merged.sameVersionsAs(ab));
    assertEquals(List.of("n1", "n3"), round.staleReplicas());
    assertFalse(round.revealsConflict(), "n2 already held both siblings");
  }

  @Test
  void aConflictNoReplicaHeldAloneIsRevealed() {
    ReadRound round = new ReadRound(List.of("n1", "n2"), 2, ConflictMode.SIBLINGS);
    round.success("n1", SiblingSet.of(List.of(blind("n1", 1, "a"))));
    round.success("n2", SiblingSet.of(List.of(blind("n2", 1, "b"))));
    assertEquals(2, round.merged.versions().size());
    assertTrue(round.revealsConflict());
    assertEquals(List.of("n1", "n2"), round.staleReplicas());
  }

  @Test
  void failedReplicasAreNeitherStaleNorCounted() {
    ReadRound round = new ReadRound(List.of("n1", "n2", "n3"), 2, ConflictMode.SIBLINGS);
    round.failure("n1");
    assertEquals(QuorumTracker.Outcome.FAILED, round.failure("n2"));
    round.success("n3", SiblingSet.of(List.of(blind("n3", 1, "c"))));
    assertEquals(List.of(), round.staleReplicas());
  }
}
