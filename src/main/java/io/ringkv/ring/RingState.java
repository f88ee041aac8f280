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
  private volatile Ring ring;
  private volatile Ring futureRing;

  private RingState(long version, int partitions, String[] owners, SortedMap<String, Membership> members,
      String[] futureOwners) {
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
    Ring.checkNodeId(id);
    requireNoChange("join " + id);
    Membership now = members.get(id);
    if (now != null && now != Membership.LEFT) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, id + " is already " + now.label());
    }
    SortedMap<String, Membership> next = new TreeMap<>(members);
    next.put(id, Membership.JOINING);
    String[] future = Claim.addNode(owners, id);
    return new RingState(version + 1, partitions, owners, next, future);
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
      return new RingState(version + 1, partitions, owners, next, null);
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
    return new RingState(version + 1, partitions, owners, next, Claim.removeNode(owners, id));
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
    return new RingState(version + 1, partitions, futureOwners, next, null);
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
      List<String> now = current.preferenceList(p, n);
      for (String target : future.preferenceList(p, n)) {
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
        && Arrays.equals(owners, s.owners) && members.equals(s.members) && Arrays.equals(futureOwners, s.futureOwners);
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
