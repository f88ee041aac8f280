package io.ringkv.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the failure detector said about every member at one moment: an immutable snapshot that the
 * request path reads without a lock (the gossip verticle publishes a new one every few hundred ms).
 * A member it has never heard of is {@code down}.
 */
public final class Liveness {
  private final Map<String, MemberStatus> statuses;

  public Liveness(Map<String, MemberStatus> statuses) {
    this.statuses = Map.copyOf(statuses);
  }

  /** Only {@code self}, up: a node that has not heard from anyone yet. */
  public static Liveness onlySelf(String self) {
    return new Liveness(Map.of(self, MemberStatus.UP));
  }

  public MemberStatus status(String node) {
    MemberStatus s = statuses.get(node);
    return s == null ? MemberStatus.DOWN : s;
  }

  /** Down members get no requests: their share goes to fallbacks (sloppy quorum). */
  public boolean isDown(String node) {
    return status(node) == MemberStatus.DOWN;
  }

  public Map<String, MemberStatus> statuses() {
    return statuses;
  }

  /** A change of one member's status between two snapshots. */
  public record Transition(String node, MemberStatus from, MemberStatus to) {}

  /** What changed from {@code before} to this snapshot, by node id. */
  public List<Transition> changesSince(Liveness before) {
    List<Transition> changes = new ArrayList<>();
    for (Map.Entry<String, MemberStatus> e : new TreeMap<>(statuses).entrySet()) {
      MemberStatus was = before.statuses.get(e.getKey());
      if (was != null && was != e.getValue()) {
        changes.add(new Transition(e.getKey(), was, e.getValue()));
      }
    }
    return changes;
  }
}
