package io.ringkv.chaos;

import io.ringkv.chaos.Violation.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges a chaos run: the client history plus the state read back after healing.
 *
 * <p><b>Coverage.</b> A write covers what the context it sent had seen: a context from a read
 * covers the live values that read returned, one from a PUT's answer covers that PUT's value, one
 * from a DELETE's answer covers only its tombstone (which has no value). Coverage is transitive: a
 * covered value's own write covered what its context had seen, and the store keeps that in the
 * version's causal past.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li><b>lost</b>: every acknowledged PUT's value is in the final state, or covered by some write
 *       that was sent (acknowledged or not: a refused write may still have been applied).
 *       Concurrent blind writes are both acknowledged and cover nothing, so both must survive as
 *       siblings: a lost sibling is a lost write.</li>
 *   <li><b>phantom</b>: every value read (during the run, at the end, from any replica) was sent
 *       by a PUT to that key, and that PUT was sent before the read answered.</li>
 *   <li><b>resurrected</b>: no value that an acknowledged write covered is in the final state (the
 *       write superseded it on W replicas; merging can only keep it superseded).</li>
 *   <li><b>divergent</b>: every node's {@code r=all} read returns the same values (and the same
 *       tombstone presence) for a key, and so does every home replica read on its own; a replica
 *       that lacks only writes in flight when a node was killed ({@link Crashes}) is reported as
 *       lagging instead (no hint exists for it; only anti-entropy repairs it).</li>
 *   <li><b>unreadable</b>: every node read every key back after healing.</li>
 * </ul>
 * The checker never fails a run for an operation that failed: those may or may not have happened.
 */
public final class HistoryChecker {
  private final Map<Long, Operation> byId = new HashMap<>();
  /** Key to value to the PUT that sent it. */
  private final Map<String, Map<String, Operation>> writers = new HashMap<>();
  private final List<Operation> operations;
  private final Crashes crashes;

  private HistoryChecker(List<Operation> operations, Crashes crashes) {
    this.operations = List.copyOf(operations);
    this.crashes = crashes;
    for (Operation op : operations) {
      if (byId.put(op.id(), op) != null) {
        throw new IllegalArgumentException("operation id " + op.id() + " appears twice");
      }
      if (op.kind() == Operation.Kind.PUT) {
        Operation earlier = writers.computeIfAbsent(op.key(), k -> new HashMap<>()).put(op.value(), op);
        if (earlier != null) {
          throw new IllegalArgumentException("value " + op.value() + " was written twice to " + op.key()
              + ": every write needs a value of its own");
        }
      }
    }
  }

  /** Checks with every replica held to exactly what the cluster holds (after anti-entropy, or without kills). */
  public static CheckReport check(List<Operation> operations, FinalState end) {
    return check(operations, end, Crashes.NONE);
  }

  /** Checks; a replica that lacks only writes in flight at one of the {@code crashes} is lagging, not divergent. */
  public static CheckReport check(List<Operation> operations, FinalState end, Crashes crashes) {
    return new HistoryChecker(operations, crashes).run(end);
  }

  private CheckReport run(FinalState end) {
    List<Violation> lost = lost(end);
    List<Violation> phantoms = phantoms(end);
    List<Violation> resurrected = resurrected(end);
    List<Violation> lagging = new ArrayList<>();
    List<Violation> divergent = divergent(end, lagging);
    List<Violation> unreadable = new ArrayList<>();
    new TreeMap<>(end.unreadable()).forEach((key, why) -> unreadable.add(
        new Violation(Type.UNREADABLE, key, null, null, "not read back after healing: " + why)));
    List<Violation> all = new ArrayList<>();
    all.addAll(lost);
    all.addAll(phantoms);
    all.addAll(resurrected);
    all.addAll(divergent);
    all.addAll(unreadable);
    long divergentKeys = divergent.stream().map(Violation::key).distinct().count();
    return new CheckReport(lost.size(), phantoms.size(), resurrected.size(), divergentKeys, unreadable.size(), all,
        lagging);
  }

  // ------------------------------------------------------------------ coverage

  /** The values the context an operation answered with had seen (only same-key contexts count). */
  private Set<String> seenBy(long contextFrom, String key) {
    Operation origin = byId.get(contextFrom);
    if (origin == null || !origin.key().equals(key) || !origin.acknowledged()) {
      return Set.of();
    }
    return switch (origin.kind()) {
      case READ -> new HashSet<>(origin.seen());
      case PUT -> Set.of(origin.value());
      case DELETE -> Set.of();
    };
  }

  /** What a write's context covered directly. */
  private Set<String> coveredBy(Operation write) {
    return write.hasContext() ? seenBy(write.contextFrom(), write.key()) : Set.of();
  }

  /**
   * Key to every value covered, directly or transitively, by the writes sent (or only the
   * acknowledged ones), each with the id of a write that covered it. Transitively: a covered
   * value's own write covered what its context had seen.
   */
  private Map<String, Map<String, Long>> coverage(boolean acknowledgedOnly) {
    Map<String, Map<String, Long>> covered = new HashMap<>();
    Map<String, Deque<String>> pending = new HashMap<>();
    for (Operation op : operations) {
      if (op.isWrite() && (!acknowledgedOnly || op.acknowledged())) {
        for (String v : coveredBy(op)) {
          if (covered.computeIfAbsent(op.key(), k -> new HashMap<>()).putIfAbsent(v, op.id()) == null) {
            pending.computeIfAbsent(op.key(), k -> new ArrayDeque<>()).add(v);
          }
        }
      }
    }
    pending.forEach((key, queue) -> {
      Map<String, Long> byValue = covered.get(key);
      while (!queue.isEmpty()) {
        String value = queue.poll();
        Operation writer = writerOf(key, value);
        if (writer != null) {
          for (String v : coveredBy(writer)) {
            if (byValue.putIfAbsent(v, byValue.get(value)) == null) {
              queue.add(v);
            }
          }
        }
      }
    });
    return covered;
  }

  private Operation writerOf(String key, String value) {
    Map<String, Operation> values = writers.get(key);
    return values == null ? null : values.get(value);
  }

  // ------------------------------------------------------------------ rules

  private List<Violation> lost(FinalState end) {
    Map<String, Map<String, Long>> covered = coverage(false);
    List<Violation> out = new ArrayList<>();
    for (Operation op : operations) {
      if (op.kind() != Operation.Kind.PUT || !op.acknowledged()
          || end.coordinators().getOrDefault(op.key(), Map.of()).isEmpty()) {
        continue;
      }
      Set<String> present = finalValues(end, op.key());
      if (!present.contains(op.value()) && !covered.getOrDefault(op.key(), Map.of()).containsKey(op.value())) {
        out.add(new Violation(Type.LOST, op.key(), op.value(), op.node(), "acknowledged " + describe(op)
            + ", not covered by any later write's context, and absent from the final state " + new TreeSet<>(present)));
      }
    }
    return out;
  }

  private List<Violation> resurrected(FinalState end) {
    Map<String, Map<String, Long>> covered = coverage(true);
    List<Violation> out = new ArrayList<>();
    for (String key : new TreeSet<>(end.coordinators().keySet())) {
      for (String value : new TreeSet<>(finalValues(end, key))) {
        Long by = covered.getOrDefault(key, Map.of()).get(value);
        if (by != null) {
          out.add(new Violation(Type.RESURRECTED, key, value, null, "the acknowledged " + describe(byId.get(by))
              + " covered it (directly or through the writes it covered), yet it is in the final state"));
        }
      }
    }
    return out;
  }

  private List<Violation> phantoms(FinalState end) {
    Map<String, Violation> found = new TreeMap<>();
    for (Operation op : operations) {
      if (op.kind() != Operation.Kind.READ) {
        continue;
      }
      for (String value : op.seen()) {
        Operation writer = writerOf(op.key(), value);
        if (writer == null) {
          found.putIfAbsent(op.key() + "\u0000" + value, new Violation(Type.PHANTOM, op.key(), value, op.node(),
              "read " + op.id() + " returned a value no write sent to this key"));
        } else if (writer.startNanos() > op.endNanos()) {
          found.putIfAbsent(op.key() + "\u0000" + value, new Violation(Type.PHANTOM, op.key(), value, op.node(),
              "read " + op.id() + " returned it before its write " + writer.id() + " was sent"));
        }
      }
    }
    finalPhantoms(end.coordinators(), "r=all read", found);
    finalPhantoms(end.replicas(), "replica", found);
    return new ArrayList<>(found.values());
  }

  private void finalPhantoms(Map<String, Map<String, KeyState>> states, String what, Map<String, Violation> found) {
    new TreeMap<>(states).forEach((key, byNode) -> new TreeMap<>(byNode).forEach((node, state) -> {
      for (String value : new TreeSet<>(state.values())) {
        if (writerOf(key, value) == null) {
          found.putIfAbsent(key + "\u0000" + value, new Violation(Type.PHANTOM, key, value, node,
              "the final " + what + " returned a value no write sent to this key"));
        }
      }
    }));
  }

  private List<Violation> divergent(FinalState end, List<Violation> lagging) {
    List<Violation> out = new ArrayList<>();
    Set<String> keys = new TreeSet<>(end.coordinators().keySet());
    keys.addAll(end.replicas().keySet());
    for (String key : keys) {
      Map<String, KeyState> byNode = end.coordinators().getOrDefault(key, Map.of());
      Map.Entry<String, KeyState> reference = byNode.entrySet().stream()
          .min(Map.Entry.comparingByKey()).orElse(null);
      if (reference == null) {
        continue; // unreadable everywhere: reported as such
      }
      new TreeMap<>(byNode).forEach((node, state) -> {
        if (!state.equals(reference.getValue())) {
          out.add(difference(key, node, state, reference, "the r=all read coordinated by"));
        }
      });
      new TreeMap<>(end.replicas().getOrDefault(key, Map.of())).forEach((node, state) -> {
        if (!state.equals(reference.getValue())) {
          Violation v = difference(key, node, state, reference, "replica");
          if (onlyLacksWritesInFlightAtACrash(key, state, reference.getValue())) {
            lagging.add(new Violation(Type.DIVERGENT, key, null, node, v.detail() + "; it lacks only writes that"
                + " were in flight when a node was killed (only anti-entropy repairs that)"));
          } else {
            out.add(v);
          }
        }
      });
    }
    return out;
  }

  /**
   * Whether the replica differs from the reference only by lacking writes sent just before a kill:
   * every value it misses was such a write, and any tombstone it misses could have been such a
   * DELETE. (What it holds beyond the reference can only be versions those writes superseded.)
   */
  private boolean onlyLacksWritesInFlightAtACrash(String key, KeyState replica, KeyState reference) {
    for (String missing : reference.values()) {
      if (!replica.values().contains(missing)) {
        Operation writer = writerOf(key, missing);
        if (writer == null || !crashes.inFlightAtACrash(writer)) {
          return false;
        }
      }
    }
    for (String extra : replica.values()) {
      if (!reference.values().contains(extra) && !supersededByWriteInFlight(key, extra)) {
        return false;
      }
    }
    if (reference.tombstone() && !replica.tombstone()) {
      return operations.stream().anyMatch(o -> o.kind() == Operation.Kind.DELETE && o.key().equals(key)
          && crashes.inFlightAtACrash(o));
    }
    return true;
  }

  /** Whether some write in flight at a crash covered {@code value} (the replica may have missed it). */
  private boolean supersededByWriteInFlight(String key, String value) {
    for (Operation o : operations) {
      if (o.isWrite() && o.key().equals(key) && crashes.inFlightAtACrash(o) && coveredBy(o).contains(value)) {
        return true;
      }
    }
    return false;
  }

  private static Violation difference(String key, String node, KeyState state, Map.Entry<String, KeyState> reference,
      String what) {
    return new Violation(Type.DIVERGENT, key, null, node, what + " " + node + " holds " + state
        + " but the r=all read coordinated by " + reference.getKey() + " returned " + reference.getValue());
  }

  /** Every live value any node's final r=all read returned for the key. */
  private static Set<String> finalValues(FinalState end, String key) {
    Set<String> values = new LinkedHashSet<>();
    end.coordinators().getOrDefault(key, Map.of()).values().forEach(s -> values.addAll(s.values()));
    return values;
  }

  private static String describe(Operation op) {
    return op.kind() + " " + op.id() + " by client " + op.client() + " via " + op.node()
        + (op.hasContext() ? " with the context of operation " + op.contextFrom() : " (blind)");
  }
}
