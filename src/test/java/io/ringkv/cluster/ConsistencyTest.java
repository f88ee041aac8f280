package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.ring.Replication;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The consistency levels with replicas per DC: parsing, and what each requires of which DC. */
class ConsistencyTest {
  private final Replication twoDcs = Replication.parse("dc1:3,dc2:3", 3);

  @Test
  void parsesLevelsWordsAndNumbersAcrossDcs() {
    assertEquals(Consistency.LOCAL_ONE, Consistency.parse("w", "local_one", twoDcs, 0));
    assertEquals(Consistency.LOCAL_QUORUM, Consistency.parse("w", "LOCAL_QUORUM", twoDcs, 0));
    assertEquals(Consistency.EACH_QUORUM, Consistency.parse("w", "each_quorum", twoDcs, 0));
    assertEquals(1, Consistency.parse("w", "one", twoDcs, 0));
    assertEquals(4, Consistency.parse("w", "quorum", twoDcs, 0));
    assertEquals(6, Consistency.parse("w", "all", twoDcs, 0));
    assertEquals(5, Consistency.parse("w", "5", twoDcs, 0));
    assertEquals(Consistency.LOCAL_QUORUM, Consistency.parse("w", null, twoDcs, Consistency.LOCAL_QUORUM));
    for (String bad : new String[] {"0", "7", "-2", "local", "two", ""}) {
      assertThrows(IllegalArgumentException.class, () -> Consistency.parse("w", bad, twoDcs, 0), bad);
    }
  }

  @Test
  void eachLevelRequiresWhatItsNameSays() {
    assertEquals(new Consistency.Requirement(Map.of("dc2", 1), 1),
        Consistency.requirement(Consistency.LOCAL_ONE, twoDcs, "dc2"));
    assertEquals(new Consistency.Requirement(Map.of("dc1", 2), 2),
        Consistency.requirement(Consistency.LOCAL_QUORUM, twoDcs, "dc1"));
    assertEquals(new Consistency.Requirement(Map.of("dc1", 2, "dc2", 2), 4),
        Consistency.requirement(Consistency.EACH_QUORUM, twoDcs, "dc1"));
    assertEquals(new Consistency.Requirement(Map.of(), 4), Consistency.requirement(4, twoDcs, "dc1"));
    Replication uneven = Replication.parse("a:5,b:1", 3);
    assertEquals(new Consistency.Requirement(Map.of("a", 3, "b", 1), 4),
        Consistency.requirement(Consistency.EACH_QUORUM, uneven, "b"));
  }

  @Test
  void aRequirementIsMetOnlyByEnoughInEveryDcItNames() {
    Consistency.Requirement each = Consistency.requirement(Consistency.EACH_QUORUM, twoDcs, "dc1");
    assertTrue(each.metBy(Map.of("dc1", 2, "dc2", 2)));
    assertFalse(each.metBy(Map.of("dc1", 3, "dc2", 1)), "a surplus in one DC never makes up for another");
    Consistency.Requirement four = Consistency.requirement(4, twoDcs, "dc1");
    assertTrue(four.metBy(Map.of("dc1", 3, "dc2", 1)));
    assertFalse(four.metBy(Map.of("dc1", 3)));
    assertTrue(Consistency.requirement(Consistency.LOCAL_QUORUM, twoDcs, "dc1").localOnly("dc1"));
    assertFalse(each.localOnly("dc1"));
    assertFalse(four.localOnly("dc1"));
  }
}
