package io.ringkv.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.chaos.Operation.Kind;
import io.ringkv.chaos.Operation.Outcome;
import io.ringkv.chaos.Violation.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-made histories: each violation is caught, and legitimate runs pass without a false alarm. */
class HistoryCheckerTest {

  /** Builds a history one operation at a time, each one later than the last. */
  private static final class Run {
    private final List<Operation> ops = new ArrayList<>();
    private final Map<String, Map<String, KeyState>> coordinators = new HashMap<>();
    private final Map<String, Map<String, KeyState>> replicas = new HashMap<>();
    private final Map<String, String> unreadable = new HashMap<>();
    private long clock;

    long put(String key, String value, long contextFrom, Outcome outcome) {
      return add(Kind.PUT, key, value, contextFrom, outcome, List.of());
    }

    long put(String key, String value) {
      return put(key, value, Operation.NO_CONTEXT, Outcome.OK);
    }

    long read(String key, String... values) {
      return add(Kind.READ, key, null, Operation.NO_CONTEXT, Outcome.OK, List.of(values));
    }

    long delete(String key, long contextFrom, Outcome outcome) {
      return add(Kind.DELETE, key, null, contextFrom, outcome, List.of());
    }

    private long add(Kind kind, String key, String value, long contextFrom, Outcome outcome, List<String> seen) {
      long id = ops.size() + 1;
      ops.add(new Operation(id, 1, kind, key, value, contextFrom, outcome, seen, clock += 10, clock += 10, "n1",
          outcome.name()));
      return id;
    }

    /** Every one of {@code nodes} read the key back at r=all as {@code state}. */
    Run finalState(String key, KeyState state, String... nodes) {
      for (String node : nodes.length == 0 ? new String[] {"n1", "n2", "n3"} : nodes) {
        coordinators.computeIfAbsent(key, k -> new HashMap<>()).put(node, state);
      }
      return this;
    }

    Run replica(String key, String node, KeyState state) {
      replicas.computeIfAbsent(key, k -> new HashMap<>()).put(node, state);
      return this;
    }

    CheckReport check() {
      return HistoryChecker.check(ops, new FinalState(coordinators, replicas, unreadable));
    }

    /** Checks with a node killed right after operation {@code id} was sent. */
    CheckReport checkWithKillAfter(long id) {
      Crashes crashes = new Crashes(List.of(ops.get((int) id - 1).startNanos() + 1), 1_000);
      return HistoryChecker.check(ops, new FinalState(coordinators, replicas, unreadable), crashes);
    }
  }

  private static List<Type> types(CheckReport report) {
    return report.violations().stream().map(Violation::type).toList();
  }

  private static void assertPasses(CheckReport report) {
    assertTrue(report.passed(), "expected no violation, got " + report.violations());
  }

  // ------------------------------------------------------------------ caught

  @Test
  void anAcknowledgedWriteThatVanishedIsLost() {
    Run run = new Run();
    run.put("k", "a");
    run.finalState("k", KeyState.EMPTY);
    CheckReport report = run.check();
    assertEquals(List.of(Type.LOST), types(report));
    assertEquals(1, report.lost());
    assertEquals("a", report.violations().get(0).value());
  }

  @Test
  void aLaterBlindWriteDoesNotExcuseALostOne() {
    Run run = new Run();
    run.put("k", "a");
    run.put("k", "b");
    run.finalState("k", KeyState.of("b"));
    assertEquals(List.of(Type.LOST), types(run.check()), "a blind write supersedes nothing");
  }

  @Test
  void aLostSiblingIsALostWrite() {
    Run run = new Run();
    run.put("k", "a");
    run.put("k", "b");
    run.read("k", "a", "b");
    run.finalState("k", KeyState.of("a"));
    CheckReport report = run.check();
    assertEquals(List.of(Type.LOST), types(report));
    assertEquals("b", report.violations().get(0).value());
  }

  @Test
  void aStaleContextSupersedesOnlyWhatItsReadSaw() {
    Run run = new Run();
    run.put("k", "a");
    long read = run.read("k", "a");
    run.put("k", "b"); // concurrent with the writer below: it never saw b
    run.put("k", "c", read, Outcome.OK);
    run.finalState("k", KeyState.of("c"));
    CheckReport report = run.check();
    assertEquals(List.of(Type.LOST), types(report));
    assertEquals("b", report.violations().get(0).value());
  }

  @Test
  void aContextFromAnotherKeyCoversNothingHere() {
    Run run = new Run();
    run.put("k", "a");
    long elsewhere = run.read("other", "a-of-other-key-never-written");
    run.put("k", "b", elsewhere, Outcome.OK);
    run.finalState("k", KeyState.of("b"));
    run.finalState("other", KeyState.EMPTY);
    assertEquals(List.of(Type.LOST, Type.PHANTOM), types(run.check()));
  }

  @Test
  void aValueNoWriteSentIsAPhantomWhereverItIsRead() {
    Run run = new Run();
    run.put("k", "a");
    run.read("k", "a", "ghost-1");
    run.finalState("k", KeyState.of("a", "ghost-2"));
    run.replica("k", "n2", KeyState.of("a", "ghost-2", "ghost-3"));
    CheckReport report = run.check();
    assertEquals(3, report.phantom(), report.violations().toString());
    assertTrue(report.violations().stream().filter(v -> v.type() == Type.PHANTOM).map(Violation::value).toList()
        .containsAll(List.of("ghost-1", "ghost-2", "ghost-3")));
  }

  @Test
  void aValueWrittenToAnotherKeyIsAPhantomHere() {
    Run run = new Run();
    run.put("k1", "a");
    run.read("k2", "a");
    run.finalState("k1", KeyState.of("a"));
    assertEquals(List.of(Type.PHANTOM), types(run.check()));
  }

  @Test
  void aValueReadBeforeItsWriteWasSentIsAPhantom() {
    Run run = new Run();
    run.read("k", "later");
    run.put("k", "later");
    run.finalState("k", KeyState.of("later"));
    CheckReport report = run.check();
    assertEquals(List.of(Type.PHANTOM), types(report));
    assertTrue(report.violations().get(0).detail().contains("before its write"));
  }

  @Test
  void nodesThatAnswerDifferentlyDiverge() {
    Run run = new Run();
    run.put("k", "a");
    run.put("k", "b");
    run.finalState("k", KeyState.of("a", "b"), "n1", "n2");
    run.finalState("k", KeyState.of("a"), "n3");
    CheckReport report = run.check();
    assertEquals(List.of(Type.DIVERGENT), types(report), "b is still there, so it is not lost");
    assertEquals(1, report.divergentKeys());
    assertEquals("n3", report.violations().get(0).node());
  }

  @Test
  void aReplicaThatMissedAWriteDivergesAndSoDoesAMissingTombstone() {
    Run run = new Run();
    run.put("k", "a");
    long read = run.read("k", "a");
    run.put("k", "b", read, Outcome.OK);
    run.put("j", "x");
    run.finalState("k", KeyState.of("b"));
    run.replica("k", "n1", KeyState.of("b"));
    run.replica("k", "n2", KeyState.of("a"));
    run.finalState("j", new KeyState(Set.of("x"), true));
    run.replica("j", "n3", KeyState.of("x"));
    CheckReport report = run.check();
    assertEquals(List.of(Type.DIVERGENT, Type.DIVERGENT), types(report));
    assertEquals(2, report.divergentKeys());
  }

  @Test
  void aReplicaThatLacksOnlyAWriteInFlightAtAKillLagsWithoutFailingTheRun() {
    Run run = new Run();
    run.put("k", "a");
    long dying = run.put("k", "b", Operation.NO_CONTEXT, Outcome.UNKNOWN); // its coordinator was killed
    run.finalState("k", KeyState.of("a", "b"));
    run.replica("k", "n2", KeyState.of("a"));
    CheckReport lagging = run.checkWithKillAfter(dying);
    assertPasses(lagging);
    assertEquals(1, lagging.lagging().size());
    assertEquals("n2", lagging.lagging().get(0).node());
    assertEquals(List.of(Type.DIVERGENT), types(run.check()), "without the kill it is a divergence");
  }

  @Test
  void aReplicaThatLacksAWriteSentLongBeforeAKillDiverges() {
    Run run = new Run();
    long early = run.put("k", "a");
    for (int i = 0; i < 200; i++) {
      run.read("k", "a");
    }
    long dying = run.put("k", "b", Operation.NO_CONTEXT, Outcome.UNKNOWN);
    run.finalState("k", KeyState.of("a", "b"));
    run.replica("k", "n2", KeyState.of("b"));
    CheckReport report = run.checkWithKillAfter(dying);
    assertEquals(List.of(Type.DIVERGENT), types(report), "a was sent long before the kill: its hint should exist");
    assertTrue(early < dying);
  }

  @Test
  void aSupersededValueThatCameBackIsResurrected() {
    Run run = new Run();
    run.put("k", "a");
    long sawA = run.read("k", "a");
    run.put("k", "b", sawA, Outcome.UNKNOWN); // applied after all: the next read sees it
    long sawB = run.read("k", "b");
    run.put("k", "c", sawB, Outcome.OK);
    run.finalState("k", KeyState.of("a", "c"));
    CheckReport report = run.check();
    assertEquals(List.of(Type.RESURRECTED), types(report), "c covers b, whose write covered a");
    assertEquals("a", report.violations().get(0).value());
  }

  @Test
  void unreadableKeysFailTheRun() {
    Run run = new Run();
    run.put("k", "a");
    run.finalState("k", KeyState.of("a"), "n1", "n2");
    run.unreadable.put("k", "n3: 503 unavailable");
    assertEquals(List.of(Type.UNREADABLE), types(run.check()));
  }

  // ------------------------------------------------------------------ accepted

  @Test
  void aContextWriteSupersedesWhatItsReadSaw() {
    Run run = new Run();
    run.put("k", "a");
    long read = run.read("k", "a");
    run.put("k", "b", read, Outcome.OK);
    run.finalState("k", KeyState.of("b"));
    run.replica("k", "n1", KeyState.of("b"));
    assertPasses(run.check());
  }

  @Test
  void aWriteAnswerContextSupersedesThatWrite() {
    Run run = new Run();
    long a = run.put("k", "a");
    long b = run.put("k", "b", a, Outcome.OK);
    run.put("k", "c", b, Outcome.OK);
    run.finalState("k", KeyState.of("c"));
    assertPasses(run.check());
  }

  @Test
  void aFailedWriteMayHaveBeenAppliedAndSupersededWhatItSaw() {
    Run run = new Run();
    run.put("k", "a");
    long read = run.read("k", "a");
    run.put("k", "b", read, Outcome.FAILED);
    run.finalState("k", KeyState.of("b"));
    assertPasses(run.check());

    Run notApplied = new Run();
    notApplied.put("k", "a");
    long seen = notApplied.read("k", "a");
    notApplied.put("k", "b", seen, Outcome.UNKNOWN);
    notApplied.finalState("k", KeyState.of("a"));
    assertPasses(notApplied.check());
  }

  @Test
  void failedWritesNeedNotSurvive() {
    Run run = new Run();
    run.put("k", "a", Operation.NO_CONTEXT, Outcome.FAILED);
    run.put("k", "b", Operation.NO_CONTEXT, Outcome.UNKNOWN);
    run.finalState("k", KeyState.EMPTY);
    assertPasses(run.check());
  }

  @Test
  void concurrentBlindWritesSurviveAsSiblingsAndAContextWriteResolvesThem() {
    Run run = new Run();
    run.put("k", "a");
    run.put("k", "b");
    long read = run.read("k", "a", "b");
    run.finalState("k", KeyState.of("a", "b"));
    assertPasses(run.check());

    long merged = run.put("k", "a+b", read, Outcome.OK);
    run.read("k", "a+b");
    run.finalState("k", KeyState.of("a+b"));
    run.replica("k", "n2", KeyState.of("a+b"));
    assertPasses(run.check());
    assertTrue(merged > read);
  }

  @Test
  void aDeleteWithTheContextOfAReadRemovesWhatItSaw() {
    Run run = new Run();
    run.put("k", "a");
    long read = run.read("k", "a");
    long deleted = run.delete("k", read, Outcome.OK);
    run.read("k");
    run.finalState("k", new KeyState(Set.of(), true));
    assertPasses(run.check());

    run.put("k", "again", deleted, Outcome.OK); // a write after the delete, with its answer's context
    run.finalState("k", KeyState.of("again"));
    assertPasses(run.check());
  }

  @Test
  void aDeleteConcurrentWithAWriteLeavesItAsSibling() {
    Run run = new Run();
    run.put("k", "a");
    long read = run.read("k", "a");
    run.put("k", "b");
    run.delete("k", read, Outcome.OK);
    run.finalState("k", new KeyState(Set.of("b"), true));
    assertPasses(run.check());
  }

  @Test
  void reusedValuesAreRefused() {
    Run run = new Run();
    run.put("k", "a");
    run.put("k", "a");
    assertThrows(IllegalArgumentException.class, run::check);
  }
}
