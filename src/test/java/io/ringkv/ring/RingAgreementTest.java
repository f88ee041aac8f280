package io.ringkv.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring agreement (single-decree Paxos per ring version) under a simulated network that loses,
 * delays, duplicates and reorders messages, with several proposers racing for the same version
 * and acceptors that restart from their persisted state: never two different rings chosen for one
 * version.
 */
class RingAgreementTest {
  private static final List<String> VOTERS = List.of("a", "b", "c", "d", "e");

  private static byte[] value(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLoneProposerWithAMajorityChoosesItsValue() {
    Map<String, RingAcceptor> acceptors = new HashMap<>();
    VOTERS.forEach(v -> acceptors.put(v, new RingAcceptor(4)));
    RingProposal p = new RingProposal(5, new Ballot(1, "a"), value("ring-5"), VOTERS);
    for (String v : List.of("a", "b", "c")) {
      p.onAnswer(v, acceptors.get(v).prepare(5, p.ballot()));
    }
    assertEquals(RingProposal.Phase.ACCEPTING, p.phase());
    for (String v : List.of("a", "b", "c")) {
      p.onAnswer(v, acceptors.get(v).accept(5, p.ballot(), p.value()));
    }
    assertEquals(RingProposal.Phase.CHOSEN, p.phase());
    assertArrayEquals(value("ring-5"), p.value());
    assertFalse(p.adopted());
  }

  @Test
  void aLaterProposerAdoptsAValueAMajorityMayHaveAccepted() {
    Map<String, RingAcceptor> acceptors = new HashMap<>();
    VOTERS.forEach(v -> acceptors.put(v, new RingAcceptor(4)));
    Ballot first = new Ballot(1, "a");
    for (String v : List.of("a", "b", "c")) {
      acceptors.get(v).prepare(5, first);
      acceptors.get(v).accept(5, first, value("A"));
    }
    RingProposal late = new RingProposal(5, new Ballot(2, "e"), value("E"), VOTERS);
    for (String v : List.of("c", "d", "e")) {
      late.onAnswer(v, acceptors.get(v).prepare(5, late.ballot()));
    }
    assertTrue(late.adopted(), "c had accepted A: the later proposal must carry A");
    assertArrayEquals(value("A"), late.value());
  }

  @Test
  void refusesVersionsItHoldsAndFailsWithoutAMajority() {
    RingAcceptor behind = new RingAcceptor(4);
    RingAcceptor ahead = new RingAcceptor(7);
    RingAcceptor.Answer refused = ahead.prepare(5, new Ballot(9, "a"));
    assertFalse(refused.ok());
    assertEquals(7, refused.committed());
    RingProposal p = new RingProposal(5, new Ballot(1, "a"), value("x"), List.of("a", "b", "c"));
    p.onAnswer("a", refused);
    p.onSilence("b");
    assertEquals(RingProposal.Phase.FAILED, p.phase());
    assertEquals(7, p.highestCommittedSeen());
    assertTrue(behind.prepare(5, new Ballot(1, "a")).ok());
    assertFalse(behind.prepare(5, new Ballot(1, "a")).ok(), "the same ballot is not promised twice");
  }

  @Test
  void persistedStateKeepsPromisesAcrossRestarts() {
    RingAcceptor a = new RingAcceptor(2);
    a.prepare(3, new Ballot(5, "x"));
    a.accept(3, new Ballot(5, "x"), value("v"));
    RingAcceptor restarted = RingAcceptor.decode(a.encode());
    assertFalse(restarted.accept(3, new Ballot(4, "y"), value("w")).ok());
    RingAcceptor.Answer promise = restarted.prepare(3, new Ballot(6, "y"));
    assertArrayEquals(value("v"), promise.acceptedValue());
    restarted.committed(3);
    assertFalse(restarted.prepare(3, new Ballot(7, "y")).ok());
  }

  /** A message in flight: a proposer's request to a voter, or the voter's answer back. */
  private record Msg(int proposer, String voter, boolean prepare, long slot, Ballot ballot, byte[] value,
      RingAcceptor.Answer answer) {}

  @Test
  void neverTwoValuesForOneVersionUnderLossDuplicationReorderingAndRestarts() {
    for (int seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      Map<String, RingAcceptor> acceptors = new HashMap<>();
      VOTERS.forEach(v -> acceptors.put(v, new RingAcceptor(0)));
      int proposers = 2 + random.nextInt(3);
      RingProposal[] attempts = new RingProposal[proposers];
      long[] rounds = new long[proposers];
      List<byte[]> chosen = new ArrayList<>();
      List<Msg> network = new ArrayList<>();
      for (int step = 0; step < 600; step++) {
        int who = random.nextInt(proposers);
        if (attempts[who] == null || attempts[who].phase() == RingProposal.Phase.FAILED
            || random.nextInt(40) == 0 && attempts[who].phase() != RingProposal.Phase.CHOSEN) {
          rounds[who] = Math.max(rounds[who], attempts[who] == null ? 0 : attempts[who].highestPromiseSeen().round())
              + 1;
          attempts[who] = new RingProposal(1, new Ballot(rounds[who], "p" + who), value("value-" + who + "-"
              + rounds[who]), VOTERS);
          for (String v : VOTERS) {
            network.add(new Msg(who, v, true, 1, attempts[who].ballot(), null, null));
          }
        }
        if (network.isEmpty()) {
          continue;
        }
        Msg m = network.remove(random.nextInt(network.size()));
        if (random.nextInt(10) == 0) {
          continue; // lost
        }
        if (random.nextInt(10) == 0) {
          network.add(m); // duplicated
        }
        if (random.nextInt(50) == 0) {
          acceptors.put(m.voter(), RingAcceptor.decode(acceptors.get(m.voter()).encode())); // restarted
        }
        if (m.answer() == null) {
          RingAcceptor a = acceptors.get(m.voter());
          RingAcceptor.Answer ans = m.prepare() ? a.prepare(m.slot(), m.ballot()) : a.accept(m.slot(), m.ballot(),
              m.value());
          network.add(new Msg(m.proposer(), m.voter(), m.prepare(), m.slot(), m.ballot(), null, ans));
        } else {
          RingProposal p = attempts[m.proposer()];
          if (p == null || !p.ballot().equals(m.ballot())) {
            continue; // an answer to an abandoned attempt
          }
          RingProposal.Phase before = p.phase();
          RingProposal.Phase after = p.onAnswer(m.voter(), m.answer());
          if (before == RingProposal.Phase.PREPARING && after == RingProposal.Phase.ACCEPTING) {
            for (String v : VOTERS) {
              network.add(new Msg(m.proposer(), v, false, 1, p.ballot(), p.value(), null));
            }
          }
          if (before != RingProposal.Phase.CHOSEN && after == RingProposal.Phase.CHOSEN) {
            chosen.add(p.value());
          }
        }
      }
      for (byte[] c : chosen) {
        assertTrue(Arrays.equals(chosen.get(0), c), "seed " + seed + ": two different values chosen for version 1: "
            + new String(chosen.get(0), StandardCharsets.UTF_8) + " and " + new String(c, StandardCharsets.UTF_8));
      }
    }
  }
}
