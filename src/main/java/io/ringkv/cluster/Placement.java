package io.ringkv.cluster;

import io.ringkv.ring.Ring;
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

  public Placement(Ring ring, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    this.ring = Objects.requireNonNull(ring);
    this.n = n;
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
}
