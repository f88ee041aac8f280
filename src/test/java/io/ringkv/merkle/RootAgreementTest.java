package io.ringkv.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RootAgreementTest {

  @Test
  void reportsPartitionsWhoseHomesDisagreeOrDidNotAnswer() {
    Map<String, Map<Integer, String>> roots = new HashMap<>();
    roots.put("n1", Map.of(0, "aa", 1, "bb", 2, "cc"));
    roots.put("n2", Map.of(0, "aa", 1, "bx", 2, "cc"));
    Map<Integer, String> n3 = new HashMap<>();
    n3.put(0, "aa");
    n3.put(2, null); // still building
    roots.put("n3", n3);
    List<RootAgreement.Divergence> out = RootAgreement.divergent(roots, p -> List.of("n1", "n2", "n3"), 3);
    assertEquals(List.of(1, 2), out.stream().map(RootAgreement.Divergence::partition).toList());
    assertEquals("bx", out.get(0).roots().get("n2"));
    assertEquals(List.of(), RootAgreement.divergent(roots, p -> List.of("n1", "n2"), 1));
    assertEquals(1, RootAgreement.divergent(roots, p -> List.of("n1", "n4"), 1).size(), "n4 did not answer");
    assertEquals("00000000000000ff", RootAgreement.hex(255));
  }
}
