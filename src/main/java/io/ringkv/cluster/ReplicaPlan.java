package io.ringkv.cluster;

import java.util.List;

/**
 * Where one request for a key goes, given who is down (DESIGN.md decision 8, Dynamo's sloppy
 * quorum): every home replica that is not down, and for each one that is, the next healthy node
 * clockwise beyond the preference list as its fallback, which keeps the version as a hint for it.
 * A down home with no fallback left is {@code unplaced}: the coordinator keeps its hint itself.
 *
 * <p>What counts toward R or W: home replicas always; fallbacks only when the request is sloppy
 * ({@code sloppy=false} still sends them their hint but does not count it); a hint kept by a node
 * that also holds a replica of the key (the coordinator) never.
 */
public final class ReplicaPlan {
  private final int partition;
  private final List<String> homes;
  private final List<Target> targets;
  private final List<String> unplaced;
  private final List<String> liveHomes;
  private final List<String> extras;

  public ReplicaPlan(int partition, List<String> homes, List<Target> targets, List<String> unplaced) {
    this(partition, homes, targets, unplaced, List.of());
  }

  public ReplicaPlan(int partition, List<String> homes, List<Target> targets, List<String> unplaced,
      List<String> extras) {
    this.partition = partition;
    this.homes = List.copyOf(homes);
    this.targets = List.copyOf(targets);
    this.unplaced = List.copyOf(unplaced);
    this.extras = List.copyOf(extras);
    this.liveHomes = this.targets.stream().filter(t -> !t.isFallback()).map(Target::node).toList();
  }

  public int partition() {
    return partition;
  }

  /** The partition's home replicas (the preference list), whatever their health. */
  public List<String> homes() {
    return homes;
  }

  /** Where the request goes: the live homes, then the fallbacks. */
  public List<Target> targets() {
    return targets;
  }

  /**
   * Nodes that get writes but are not homes, while the ring changes (see {@link Placement}): never
   * counted toward a quorum, never read from.
   */
  public List<String> extras() {
    return extras;
  }

  /** Down homes that got no fallback: the coordinator keeps their hints. */
  public List<String> unplaced() {
    return unplaced;
  }

  /** One node to send the request to: a home replica, or a fallback standing in for {@code hintFor}. */
  public record Target(String node, String hintFor) {
    public boolean isFallback() {
      return hintFor != null;
    }
  }

  /** Whether an answer from {@code target} counts toward the quorum. */
  public static boolean counts(Target target, boolean sloppy) {
    return !target.isFallback() || sloppy;
  }

  /** How many answers could count toward the quorum at most. */
  public int countable(boolean sloppy) {
    int n = 0;
    for (Target t : targets) {
      if (counts(t, sloppy)) {
        n++;
      }
    }
    return n;
  }

  /** The home replicas that are not down, in preference order. */
  public List<String> liveHomes() {
    return liveHomes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplicaPlan p && partition == p.partition && homes.equals(p.homes)
        && targets.equals(p.targets) && unplaced.equals(p.unplaced) && extras.equals(p.extras);
  }

  @Override
  public int hashCode() {
    return (31 * partition + homes.hashCode()) * 31 + targets.hashCode();
  }

  @Override
  public String toString() {
    return "ReplicaPlan{partition=" + partition + ", targets=" + targets + ", unplaced=" + unplaced
        + ", extras=" + extras + "}";
  }
}
