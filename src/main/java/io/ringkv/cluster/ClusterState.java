package io.ringkv.cluster;

import io.ringkv.ring.Ring;
import java.util.List;
import java.util.Objects;

/**
 * This node's view of the cluster: its members and their liveness (the {@link MembershipTable}
 * that gossip keeps) and the ring it currently agrees on, with the {@link Placement} derived from
 * it. The gossip verticle writes it; coordinators and the cluster views read it, from any thread.
 */
public final class ClusterState {
  private final String selfId;
  private final int n;
  private final MembershipTable membership;
  private volatile Placement placement;
  private volatile Liveness liveness;

  public ClusterState(String selfId, int n, Ring initialRing, MembershipTable membership) {
    this.selfId = Objects.requireNonNull(selfId);
    this.n = n;
    this.membership = Objects.requireNonNull(membership);
    this.placement = new Placement(initialRing, n);
    this.liveness = Liveness.onlySelf(selfId);
  }

  /** The failure detector's latest snapshot: read on every request, never locked. */
  public Liveness liveness() {
    return liveness;
  }

  /** Takes a new snapshot from the membership table; returns what changed since the last one. */
  public List<Liveness.Transition> refreshLiveness(long nowMs) {
    Liveness before = liveness;
    Liveness now = membership.liveness(nowMs);
    liveness = now;
    return now.changesSince(before);
  }

  public String selfId() {
    return selfId;
  }

  public MembershipTable membership() {
    return membership;
  }

  /** The placement of the current ring; read once per request so one request sees one ring. */
  public Placement placement() {
    return placement;
  }

  public Ring ring() {
    return placement.ring();
  }

  public void updateRing(Ring ring) {
    placement = new Placement(ring, n);
  }
}
