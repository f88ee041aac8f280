package io.ringkv.cluster;

import io.ringkv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a key's replicas live in one ring: its partition and the partition's home replicas (the
 * preference list: the owner, then the next distinct owners clockwise). The one place that turns a
 * key into replicas, for the coordinator and the cluster views alike. Immutable and pure.
 */
public final class Placement {
  private final Ring ring;
  private final int n;
  /** The plan of each partition when all its homes are up (the usual case), built on first use. */
  private final ReplicaPlan[] allUp;

  public Placement(Ring ring, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    this.ring = Objects.requireNonNull(ring);
    this.n = n;
    this.allUp = new ReplicaPlan[ring.partitions()];
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
    return ring.preferenceList(partition, n);
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
            List.of());
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
    if (!down.isEmpty()) {
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
    return new ReplicaPlan(partition, homes, targets, unplaced);
  }
}
