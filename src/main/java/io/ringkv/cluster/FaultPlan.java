package io.ringkv.cluster;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The faults this node injects into its node-to-node traffic (API.md, "Fault injection"):
 * {@code drop} stops every message to and from those nodes, {@code dropInbound} only what arrives
 * from them, {@code delayMs} adds that latency to every message between this node and them, in
 * both directions (so set it on one side of a link only). Immutable; a new plan replaces the old.
 */
public record FaultPlan(Set<String> drop, Set<String> dropInbound, Map<String, Long> delayMs) {
  public static final FaultPlan NONE = new FaultPlan(Set.of(), Set.of(), Map.of());
  /** Longest delay accepted: longer ones would only hold messages past every request's timeout. */
  public static final long MAX_DELAY_MS = 60_000;

  public FaultPlan {
    drop = Set.copyOf(new TreeSet<>(drop));
    dropInbound = Set.copyOf(new TreeSet<>(dropInbound));
    for (Map.Entry<String, Long> e : delayMs.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0 || e.getValue() > MAX_DELAY_MS) {
        throw new IllegalArgumentException("delayMs for " + e.getKey() + " must be 0.." + MAX_DELAY_MS
            + ", got " + e.getValue());
      }
    }
    delayMs = Map.copyOf(new TreeMap<>(delayMs));
  }

  public boolean isEmpty() {
    return drop.isEmpty() && dropInbound.isEmpty() && delayMs.values().stream().allMatch(d -> d == 0);
  }

  /** Whether a message from this node to {@code node} is dropped. */
  public boolean dropsTo(String node) {
    return drop.contains(node);
  }

  /** Whether a message from {@code node} to this node is dropped. */
  public boolean dropsFrom(String node) {
    return drop.contains(node) || dropInbound.contains(node);
  }

  /** Added latency, in ms, for a message between this node and {@code node} (either way). */
  public long delayFor(String node) {
    Long d = delayMs.get(node);
    return d == null ? 0 : d;
  }
}
