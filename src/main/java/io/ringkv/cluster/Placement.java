package io.ringkv.cluster;

import io.ringkv.ring.Replication;
import io.ringkv.ring.Ring;
import io.ringkv.ring.RingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a key's replicas live in one ring: its partition and the partition's home replicas (the
 * preference list: the owner, then the next distinct owners clockwise). The one place that turns a
 * key into replicas, for the coordinator and the cluster views alike. Immutable and pure.
 *
 * <p>While the ring changes, writes also go to the nodes that will be homes when the change ends
 * (they are copying the partition meanwhile) and, once it ended, to the homes of the ring before,
 * until every member has switched: the plan lists those as {@code extras}, which never count
 * toward a quorum.
 *
 * <p>With replicas per DC ({@link Replication}) the homes are each DC's, and a down home's
 * fallback is the next live node of the same DC, so a DC's quorum never waits for another DC.
 */
public final class Placement {
  private final Ring ring;
  private final Ring future;
  private final Ring before;
  private final int n;
  private final Replication replication;
  /** Each member's DC (multi-DC only). */
  private final Map<String, String> dcs;
  /** The plan of each partition when all its homes are up (the usual case), built on first use. */
  private final ReplicaPlan[] allUp;

  public Placement(Ring ring, int n) {
    this(ring, null, null, n);
  }

  /**
   * @param future the ring a running change leads to, or null
   * @param before the ring the last finished change left, while some member may still use it, or null
   */
  public Placement(Ring ring, Ring future, Ring before, int n) {
    this(ring, future, before, Replication.single(n), Map.of());
  }

  /** With replicas per DC: {@code dcs} gives each member's DC. */
  public Placement(Ring ring, Ring future, Ring before, Replication replication, Map<String, String> dcs) {
    int n = replication.n();
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    this.ring = Objects.requireNonNull(ring);
    this.future = future;
    this.before = before;
    this.n = n;
    this.replication = replication;
    this.dcs = Map.copyOf(dcs);
    this.allUp = new ReplicaPlan[ring.partitions()];
  }

  /** The placement of an agreed ring state; {@code previous} is the state before its last owner switch, or null. */
  public static Placement of(RingState state, RingState previous, int n) {
    if (state.replication() != null) {
      return new Placement(state.ring(), state.futureRing(), previous == null ? null : previous.ring(),
          state.replication(), state.dcs());
    }
    return new Placement(state.ring(), state.futureRing(), previous == null ? null : previous.ring(), n);
  }

  /** Replicas per key, per DC when {@link Replication#multiDc()}. */
  public Replication replication() {
    return replication;
  }

  /** A member's DC, or null when unknown or the cluster is one ring. */
  public String dcOf(String node) {
    return dcs.get(node);
  }

  /** Nodes that get a partition's writes without being its homes: future homes, and homes of the ring before. */
  public List<String> extras(int partition) {
    if (future == null && before == null) {
      return List.of();
    }
    List<String> homes = homeReplicas(partition);
    List<String> extras = new ArrayList<>(2);
    for (Ring other : new Ring[] {future, before}) {
      if (other != null) {
        for (String node : homesIn(other, partition)) {
          if (!homes.contains(node) && !extras.contains(node)) {
            extras.add(node);
          }
        }
      }
    }
    return extras;
  }

  public Ring ring() {
    return ring;
  }

  /** Replicas per key (the cluster's N). */
  public int n() {
    return n;
  }

  public int partitionOf(byte[] key) {
    return ring.partitionOf(key);
  }

  /** The partition's home replicas, in preference order: at most N, fewer if the ring has fewer nodes. */
  public List<String> homeReplicas(int partition) {
    return homesIn(ring, partition);
  }

  private List<String> homesIn(Ring r, int partition) {
    return replication.multiDc() ? replication.homes(r, partition) : r.preferenceList(partition, n);
  }

  private static boolean noneDown(List<String> nodes, Liveness liveness) {
    for (String node : nodes) {
      if (liveness.isDown(node)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where a request for the partition goes when the nodes {@code liveness} calls down get none:
   * the live home replicas, and (with {@code fallbacks}) for each down home, in preference order,
   * the next node clockwise beyond the preference list that is neither a home nor down nor
   * already a fallback. Every coordinator with the same view picks the same fallbacks, so reads
   * find the hints that writes left.
   */
  public ReplicaPlan plan(int partition, Liveness liveness, boolean fallbacks) {
    List<String> homes = homeReplicas(partition);
    if (noneDown(homes, liveness)) {
      ReplicaPlan plan = allUp[partition];
      if (plan == null) {
        // A racing double build is harmless: the same immutable plan.
        plan = new ReplicaPlan(partition, homes, homes.stream().map(h -> new ReplicaPlan.Target(h, null)).toList(),
            List.of(), extras(partition));
        allUp[partition] = plan;
      }
      return plan;
    }
    List<ReplicaPlan.Target> targets = new ArrayList<>(homes.size());
    List<String> down = new ArrayList<>();
    for (String home : homes) {
      if (liveness.isDown(home)) {
        down.add(home);
      } else {
        targets.add(new ReplicaPlan.Target(home, null));
      }
    }
    List<String> unplaced = new ArrayList<>();
    if (!down.isEmpty() && replication.multiDc()) {
      placeFallbacksPerDc(partition, homes, down, liveness, fallbacks, targets, unplaced);
    } else if (!down.isEmpty()) {
      List<String> clockwise = ring.preferenceList(partition, ring.nodes().size());
      int next = homes.size();
      for (String home : down) {
        while (next < clockwise.size() && liveness.isDown(clockwise.get(next))) {
          next++;
        }
        if (fallbacks && next < clockwise.size()) {
          targets.add(new ReplicaPlan.Target(clockwise.get(next++), home));
        } else {
          unplaced.add(home);
        }
      }
    }
    return new ReplicaPlan(partition, homes, targets, unplaced, extras(partition));
  }

  /** Each down home's fallback is the next live node clockwise in the same DC's slot, beyond its homes. */
  private void placeFallbacksPerDc(int partition, List<String> homes, List<String> down, Liveness liveness,
      boolean fallbacks, List<ReplicaPlan.Target> targets, List<String> unplaced) {
    Map<String, Integer> next = new HashMap<>();
    Map<String, List<String>> clockwise = new HashMap<>();
    for (String home : down) {
      String dc = dcs.get(home);
      List<String> walk = dc == null ? List.of()
          : clockwise.computeIfAbsent(dc, d -> replication.walk(ring, partition, d, ring.nodes().size()));
      int i = next.getOrDefault(dc, 0);
      while (i < walk.size() && (homes.contains(walk.get(i)) || liveness.isDown(walk.get(i)))) {
        i++;
      }
      if (fallbacks && i < walk.size()) {
        targets.add(new ReplicaPlan.Target(walk.get(i++), home));
      } else {
        unplaced.add(home);
      }
      next.put(dc, i);
    }
  }
}
