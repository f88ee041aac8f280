package io.ringkv.cluster;

import io.ringkv.ring.Membership;
import io.ringkv.ring.Ring;
import io.ringkv.ring.RingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * This node's view of the cluster: its members and their liveness (the {@link MembershipTable}
 * that gossip keeps) and the agreed ring it holds ({@link RingState}), with the {@link Placement}
 * derived from them. Gossip and the membership verticle write it; coordinators and the cluster
 * views read it, from any thread, without locks.
 *
 * <p>A node that has just started with an empty data dir and is not the cluster's founder holds
 * no ring until it learns one from the others: {@link #hasRing()} is false, and it is not ready.
 */
public final class ClusterState {
  private final String selfId;
  private final int n;
  private final MembershipTable membership;
  private final List<Consumer<RingState>> ringListeners = new ArrayList<>();
  private volatile RingState ring;
  private volatile RingState previous;
  private volatile Placement placement;
  private volatile Liveness liveness;
  private final ReplicationLag replicationLag = new ReplicationLag();

  public ClusterState(String selfId, int n, RingState initialRing, MembershipTable membership) {
    this.selfId = Objects.requireNonNull(selfId);
    this.n = n;
    this.membership = Objects.requireNonNull(membership);
    this.liveness = Liveness.onlySelf(selfId);
    if (initialRing != null) {
      adopt(initialRing);
    }
  }

  /** Plain ring, no membership states (tests of placement). */
  public ClusterState(String selfId, int n, Ring ring, MembershipTable membership) {
    this(selfId, n, (RingState) null, membership);
    this.placement = new Placement(ring, n);
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

  /** Cross-DC replication lag as this node's coordinators measured it. */
  public ReplicationLag replicationLag() {
    return replicationLag;
  }

  public String selfId() {
    return selfId;
  }

  public int n() {
    return n;
  }

  public MembershipTable membership() {
    return membership;
  }

  public boolean hasRing() {
    return placement != null;
  }

  /** The placement of the current ring; read once per request so one request sees one ring. */
  public Placement placement() {
    Placement p = placement;
    if (p == null) {
      throw new IllegalStateException("node " + selfId + " does not know the ring yet");
    }
    return p;
  }

  public Ring ring() {
    return placement().ring();
  }

  /** The agreed ring this node holds, or null before it learned one. */
  public RingState ringState() {
    return ring;
  }

  /** The ring before the last owner switch, while some member may still use it; else null. */
  public RingState previousRing() {
    return previous;
  }

  /**
   * Takes {@code next} if it is newer than the ring held; returns whether it did. When the owners
   * change, the ring held before stays as {@link #previousRing()} (writes still reach its homes)
   * until {@link #forgetPreviousRing()}.
   */
  public synchronized boolean adopt(RingState next) {
    RingState held = ring;
    if (held != null && next.version() <= held.version()) {
      return false;
    }
    if (held != null && !Arrays.equals(held.ring().ownersArray(), next.ring().ownersArray())) {
      previous = held;
    }
    ring = next;
    placement = Placement.of(next, previous, n);
    membership.updateSelf(membership.self().withRing(next.version(), membership.self().transfersDoneFor()));
    for (Consumer<RingState> listener : ringListeners) {
      listener.accept(next);
    }
    return true;
  }

  /**
   * Gives up a ring this node founded alone and never used, for another cluster's ring it found
   * (see the membership verticle): the one case where a node takes a ring that is not newer.
   */
  public synchronized void replaceLonelyRing(RingState theirs) {
    RingState held = ring;
    if (held == null || held.version() != 1 || held.members().size() != 1) {
      throw new IllegalStateException("only a fresh one-node ring can be given up, not " + held);
    }
    ring = null;
    previous = null;
    adopt(theirs);
  }

  /** Every member has switched to the ring held: writes no longer need to reach the homes before. */
  public synchronized void forgetPreviousRing() {
    if (previous != null) {
      previous = null;
      placement = Placement.of(ring, null, n);
    }
  }

  /**
   * Whether every member of the ring held that is not down (as far as gossip tells) holds ring
   * {@code version} exactly: then every coordinator plans with the same ring.
   */
  public boolean everyoneHolds(long version) {
    RingState held = ring;
    if (held == null) {
      return false;
    }
    for (MemberInfo m : membership.digest()) {
      Membership state = held.membership(m.id());
      boolean counts = state != null && state != Membership.LEFT && !m.id().equals(selfId)
          && liveness.status(m.id()) != MemberStatus.DOWN;
      if (counts && m.ringVersion() != version) {
        return false;
      }
    }
    return held.version() == version;
  }

  /** Told (on the adopting thread) about every ring this node adopts. */
  public synchronized void onRing(Consumer<RingState> listener) {
    ringListeners.add(listener);
  }
}
