package io.ringkv.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ring as the one value every node agrees on (DESIGN.md decision 7): the owner of every
 * partition, a version, each member's {@link Membership}, and, while a change runs, the owners it
 * leads to. Immutable; every change returns the next version. Changes are serialised: a join,
 * leave or remove starts a change, and only {@link #finish()} ends it, once the data has moved.
 *
 * <p>A change only plans: {@link #transfers(int)} lists, for every partition, the nodes that will
 * be home replicas of it afterwards but are not now, and they copy it from the current homes
 * before {@link #finish()} switches the owners.
 */
public final class RingState {
  private final long version;
  private final int partitions;
  private final String[] owners;
  private final SortedMap<String, Membership> members;
  private final String[] futureOwners;
  /** Replicas per DC ({@link Replication#single} when the cluster is one ring) and each member's DC (empty then). */
  private final Replication replication;
  private final SortedMap<String, String> dcs;
  private volatile Ring ring;
  private volatile Ring futureRing;

  private RingState(long version, int partitions, String[] owners, SortedMap<String, Membership> members,
      String[] futureOwners) {
    this(version, partitions, owners, members, futureOwners, null, new TreeMap<>());
  }

  private RingState(long version, int partitions, String[] owners, SortedMap<String, Membership> members,
      String[] futureOwners, Replication replication, SortedMap<String, String> dcs) {
    if (version < 1) {
      throw new IllegalArgumentException("ring version must be >= 1, got " + version);
    }
    Ring.checkPartitions(partitions);
    if (owners.length != partitions || futureOwners != null && futureOwners.length != partitions) {
      throw new IllegalArgumentException("need exactly " + partitions + " owners");
    }
    this.version = version;
    this.partitions = partitions;
    this.owners = owners;
    this.members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    this.futureOwners = futureOwners;
    this.replication = replication == null || !replication.multiDc() ? null : replication;
    this.dcs = Collections.unmodifiableSortedMap(new TreeMap<>(this.replication == null ? Map.of() : dcs));
    if (this.replication != null) {
      for (String id : members.keySet()) {
        String dc = this.dcs.get(id);
        if (dc == null || this.replication.slot(dc) < 0) {
          throw new IllegalArgumentException("member " + id + " has no datacenter of " + this.replication.text());
        }
      }
    }
    for (String o : owners) {
      requireOwnerMember(o);
    }
    if (futureOwners != null) {
      for (String o : futureOwners) {
        requireOwnerMember(o);
      }
    }
  }

  /** Rebuilds a state from its parts (decoding). */
  public static RingState of(long version, int partitions, String[] owners, Map<String, Membership> members,
      String[] futureOwners) {
    return new RingState(version, partitions, owners.clone(), new TreeMap<>(members),
        futureOwners == null ? null : futureOwners.clone());
  }

  /** Rebuilds a multi-DC state from its parts (decoding); {@code dcs} gives every member's DC. */
  public static RingState of(long version, int partitions, String[] owners, Map<String, Membership> members,
      String[] futureOwners, Replication replication, Map<String, String> dcs) {
    return new RingState(version, partitions, owners.clone(), new TreeMap<>(members),
        futureOwners == null ? null : futureOwners.clone(), replication, new TreeMap<>(dcs));
  }

  /**
   * Version 1 of a new cluster with replicas per DC: {@code founder} (of {@code dc}) holds every
   * partition until nodes of each DC join. With a single-ring replication this is {@link #founding(int, String)}.
   */
  public static RingState founding(int partitions, String founder, String dc, Replication replication) {
    if (!replication.multiDc()) {
      return founding(partitions, founder);
    }
    if (replication.slot(dc) < 0) {
      throw new IllegalArgumentException("datacenter " + dc + " is not in the replication " + replication.text());
    }
    Ring ring = Ring.initial(partitions, founder);
    return new RingState(1, partitions, ring.ownersArray(), new TreeMap<>(Map.of(founder, Membership.MEMBER)), null,
        replication, new TreeMap<>(Map.of(founder, dc)));
  }

  /** Version 1 of a new cluster: {@code founder} owns every partition. */
  public static RingState founding(int partitions, String founder) {
    Ring ring = Ring.initial(partitions, founder);
    return new RingState(1, partitions, ring.ownersArray(), new TreeMap<>(Map.of(founder, Membership.MEMBER)), null);
  }

  /**
   * The ring that nodes computed before membership was explicit (members replayed in join order),
   * as an agreed state: every member a {@code member}. For data dirs written by earlier versions.
   */
  public static RingState fromMembers(int partitions, Collection<Member> members) {
    Ring ring = Ring.fromMembers(partitions, members);
    SortedMap<String, Membership> states = new TreeMap<>();
    for (String id : ring.nodes()) {
      states.put(id, Membership.MEMBER);
    }
    return new RingState(ring.version(), partitions, ring.ownersArray(), states, null);
  }

  public long version() {
    return version;
  }

  public int partitions() {
    return partitions;
  }

  /** Member ids and their states, by id. */
  public SortedMap<String, Membership> members() {
    return members;
  }

  /** Replicas per DC, or null when the cluster is one ring (N from the configuration). */
  public Replication replication() {
    return replication;
  }

  /** Each member's DC (empty when the cluster is one ring). */
  public SortedMap<String, String> dcs() {
    return dcs;
  }

  /**
   * The home replicas of a partition in the current ring: N per DC with a per-DC replication,
   * else the first {@code n} distinct owners clockwise.
   */
  public List<String> homes(int partition, int n) {
    return homes(ring(), partition, n);
  }

  /** Like {@link #homes(int, int)} in {@code r} (the current or the future ring). */
  public List<String> homes(Ring r, int partition, int n) {
    return replication == null ? r.preferenceList(partition, n) : replication.homes(r, partition);
  }

  /** A member's state, or null if the node is not in the ring (it is {@code waiting}). */
  public Membership membership(String id) {
    return members.get(id);
  }

  /** The ring that placement uses now. */
  public Ring ring() {
    Ring r = ring;
    if (r == null) {
      r = Ring.of(partitions, version, owners);
      ring = r;
    }
    return r;
  }

  /** The ring the running change leads to, or null when none runs. */
  public Ring futureRing() {
    if (futureOwners == null) {
      return null;
    }
    Ring r = futureRing;
    if (r == null) {
      r = Ring.of(partitions, version, futureOwners);
      futureRing = r;
    }
    return r;
  }

  public boolean changeInProgress() {
    return futureOwners != null;
  }

  /** Partitions whose owner the running change will switch (0 when none runs). */
  public int movingPartitions() {
    if (futureOwners == null) {
      return 0;
    }
    int n = 0;
    for (int p = 0; p < partitions; p++) {
      if (!owners[p].equals(futureOwners[p])) {
        n++;
      }
    }
    return n;
  }

  /**
   * Members that take part in agreeing on the next version: those that own partitions (members,
   * and leavers until they have left). A joiner does not vote yet, so a join whose node died can
   * still be cancelled by the others, also in a one-node cluster.
   */
  public List<String> voters() {
    List<String> voters = new ArrayList<>();
    members.forEach((id, state) -> {
      if (state == Membership.MEMBER || state == Membership.LEAVING) {
        voters.add(id);
      }
    });
    return voters;
  }

  // ---------------------------------------------------------------- changes

  /** Starts a join: {@code id} becomes {@code joining}; the claim plan moves about Q/(S+1) partitions to it. */
  public RingState join(String id) {
    return join(id, null);
  }

  /**
   * Starts a join of {@code id} in datacenter {@code dc} (ignored when the cluster is one ring): it
   * claims its share of its DC's partitions only.
   */
  public RingState join(String id, String dc) {
    Ring.checkNodeId(id);
    if (replication != null && (dc == null || replication.slot(dc) < 0)) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, id + " is in datacenter " + dc
          + ", which the replication " + replication.text() + " does not list");
    }
    requireNoChange("join " + id);
    Membership now = members.get(id);
    if (now != null && now != Membership.LEFT) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, id + " is already " + now.label());
    }
    SortedMap<String, Membership> next = new TreeMap<>(members);
    next.put(id, Membership.JOINING);
    SortedMap<String, String> nextDcs = new TreeMap<>(dcs);
    String[] future;
    if (replication == null) {
      future = Claim.addNode(owners, id);
    } else {
      nextDcs.put(id, dc);
      future = replication.claimJoin(owners, id, dc, dcs);
    }
    return new RingState(version + 1, partitions, owners, next, future, replication, nextDcs);
  }

  /**
   * Starts handing {@code id}'s partitions to the other members (a leave, or the remove of a dead
   * member, which differ only in who can serve the copies): {@code id} becomes {@code leaving}.
   * Removing a node that is still {@code joining} instead cancels that join: the ring returns to
   * the owners it had, and the node leaves the ring.
   */
  public RingState leave(String id) {
    Membership now = members.get(id);
    if (now == null || now == Membership.LEFT) {
      throw new RingChangeException(RingChangeException.Reason.UNKNOWN_MEMBER, id + " is not a member of the ring");
    }
    if (now == Membership.JOINING) {
      SortedMap<String, Membership> next = new TreeMap<>(members);
      next.remove(id);
      SortedMap<String, String> nextDcs = new TreeMap<>(dcs);
      nextDcs.remove(id);
      return new RingState(version + 1, partitions, owners, next, null, replication, nextDcs);
    }
    if (now == Membership.LEAVING) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, id + " is already leaving");
    }
    requireNoChange("leave " + id);
    if (ring().nodes().size() < 2) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, "the last member cannot leave the ring");
    }
    SortedMap<String, Membership> next = new TreeMap<>(members);
    next.put(id, Membership.LEAVING);
    String[] future = replication == null ? Claim.removeNode(owners, id) : replication.claimLeave(owners, id, dcs.get(id));
    return new RingState(version + 1, partitions, owners, next, future, replication, dcs);
  }

  /** Ends the running change: the future owners own, joiners are members, leavers have left. */
  public RingState finish() {
    if (futureOwners == null) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, "no change is running");
    }
    SortedMap<String, Membership> next = new TreeMap<>();
    members.forEach((id, state) -> next.put(id, switch (state) {
      case JOINING -> Membership.MEMBER;
      case LEAVING -> Membership.LEFT;
      default -> state;
    }));
    return new RingState(version + 1, partitions, futureOwners, next, null, replication, dcs);
  }

  /** One copy the running change needs: {@code target} will be a home replica of the partition and is not yet. */
  public record Transfer(int partition, String target, List<String> sources) {}

  /**
   * Every copy the running change needs, partition by partition: for each node among the
   * partition's future home replicas (N of them) that is not a current home, the current homes
   * it may copy from, in preference order.
   */
  public List<Transfer> transfers(int n) {
    Ring future = futureRing();
    if (future == null) {
      return List.of();
    }
    Ring current = ring();
    List<Transfer> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      List<String> now = homes(current, p, n);
      for (String target : homes(future, p, n)) {
        if (!now.contains(target)) {
          out.add(new Transfer(p, target, now));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- encoding helpers

  String[] ownersArray() {
    return owners.clone();
  }

  String[] futureOwnersArray() {
    return futureOwners == null ? null : futureOwners.clone();
  }

  private void requireNoChange(String what) {
    if (futureOwners != null) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, "cannot " + what
          + ": a membership change is still running (ring version " + version + ", " + movingPartitions()
          + " partitions moving)");
    }
  }

  private void requireOwnerMember(String owner) {
    Membership m = members.get(owner);
    if (m == null || m == Membership.LEFT) {
      throw new IllegalArgumentException("owner " + owner + " is not a member");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingState s && version == s.version && partitions == s.partitions
        && Arrays.equals(owners, s.owners) && members.equals(s.members) && Arrays.equals(futureOwners, s.futureOwners)
        && Objects.equals(replication, s.replication) && dcs.equals(s.dcs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, partitions, Arrays.hashCode(owners), members, Arrays.hashCode(futureOwners));
  }

  @Override
  public String toString() {
    return "RingState{version=" + version + ", owned=" + ring().ownedCounts() + ", members=" + members
        + (futureOwners == null ? "" : ", moving=" + movingPartitions()) + "}";
  }
}
