package io.ringkv.cluster;

import io.ringkv.ring.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heartbeat-counter membership with a timeout failure detector (Cassandra/Scuttlebutt style,
 * without the wall clock: time is an argument). A member is UP while its heartbeat advanced less
 * than {@code suspectAfterMs} ago, SUSPECT until {@code downAfterMs}, then DOWN. Members are never
 * forgotten: a crashed ring member stays listed as down (DESIGN.md decision 7).
 *
 * <p>Thread-safe: the gossip verticle writes, HTTP handlers read.
 */
public final class MembershipTable {
  private final String selfId;
  private final long suspectAfterMs;
  private final long downAfterMs;
  /** For members of another DC than this node's (replicas per DC only): 0 = the same as local. */
  private long remoteSuspectAfterMs;
  private long remoteDownAfterMs;
  private final Map<String, MemberInfo> members = new TreeMap<>();
  private final Map<String, Long> lastHeard = new TreeMap<>();

  public MembershipTable(MemberInfo self, long suspectAfterMs, long downAfterMs, long nowMs) {
    this.selfId = self.id();
    this.suspectAfterMs = suspectAfterMs;
    this.downAfterMs = downAfterMs;
    members.put(self.id(), self);
    lastHeard.put(self.id(), nowMs);
  }

  /**
   * Members whose DC differs from this node's get these thresholds instead (a WAN link: more
   * jitter). Latency alone never makes a member suspect: silence is measured from the last
   * heartbeat received, and a steady stream of delayed heartbeats still arrives every round.
   */
  public synchronized void remoteDcTimeouts(long suspectAfter, long downAfter) {
    this.remoteSuspectAfterMs = suspectAfter;
    this.remoteDownAfterMs = downAfter;
  }

  public String selfId() {
    return selfId;
  }

  /** Replaces this node's own record (e.g. once the HTTP port is known), keeping its heartbeat. */
  public synchronized void updateSelf(MemberInfo self) {
    if (!self.id().equals(selfId)) {
      throw new IllegalArgumentException("not this node: " + self.id());
    }
    members.put(selfId, self.withHeartbeat(members.get(selfId).heartbeat()));
  }

  public synchronized MemberInfo self() {
    return members.get(selfId);
  }

  /** Advances this node's own heartbeat; returns the new self record. */
  public synchronized MemberInfo beat(long nowMs) {
    MemberInfo self = members.get(selfId);
    MemberInfo next = self.withHeartbeat(self.heartbeat() + 1);
    members.put(selfId, next);
    lastHeard.put(selfId, nowMs);
    return next;
  }

  /**
   * Merges a digest received from a peer. A member's entry is replaced only by a higher
   * (generation, heartbeat) (its owner is the only one that increments it); that counts as hearing
   * from it now.
   *
   * @return true if a member unknown until now was added (the ring must be recomputed)
   */
  public synchronized boolean merge(Collection<MemberInfo> digest, long nowMs) {
    boolean added = false;
    for (MemberInfo incoming : digest) {
      if (incoming.id().equals(selfId)) {
        continue;
      }
      MemberInfo known = members.get(incoming.id());
      if (known == null) {
        added = true;
      }
      if (known == null || incoming.newerThan(known)) {
        members.put(incoming.id(), incoming);
        lastHeard.put(incoming.id(), nowMs);
      }
    }
    return added;
  }

  /** Adds members remembered from an earlier run (they start as not heard of, so down until they gossip). */
  public synchronized void restore(Collection<MemberInfo> remembered) {
    for (MemberInfo m : remembered) {
      if (!m.id().equals(selfId)) {
        members.putIfAbsent(m.id(), m);
        lastHeard.putIfAbsent(m.id(), Long.MIN_VALUE / 2);
      }
    }
  }

  public synchronized List<MemberInfo> digest() {
    return List.copyOf(members.values());
  }

  public synchronized MemberStatus status(String id, long nowMs) {
    if (id.equals(selfId)) {
      return MemberStatus.UP;
    }
    Long heard = lastHeard.get(id);
    if (heard == null) {
      return MemberStatus.DOWN;
    }
    long silent = nowMs - heard;
    long suspect = suspectAfterMs;
    long down = downAfterMs;
    MemberInfo info = members.get(id);
    MemberInfo me = members.get(selfId);
    if (remoteDownAfterMs > 0 && info != null && me != null && info.dc() != null && !info.dc().equals(me.dc())) {
      suspect = remoteSuspectAfterMs;
      down = remoteDownAfterMs;
    }
    return silent < suspect ? MemberStatus.UP : silent < down ? MemberStatus.SUSPECT : MemberStatus.DOWN;
  }

  public synchronized List<MemberView> view(long nowMs) {
    List<MemberView> view = new ArrayList<>();
    for (MemberInfo m : members.values()) {
      view.add(new MemberView(m, status(m.id(), nowMs), lastHeard.get(m.id())));
    }
    return view;
  }

  /** Every member's status now, as one immutable snapshot. */
  public synchronized Liveness liveness(long nowMs) {
    Map<String, MemberStatus> statuses = new TreeMap<>();
    for (String id : members.keySet()) {
      statuses.put(id, status(id, nowMs));
    }
    return new Liveness(statuses);
  }

  /** Ring members: everyone ever seen, ordered for claim replay by (joinedAt, id). */
  public synchronized List<Member> ringMembers() {
    List<Member> ring = new ArrayList<>();
    for (MemberInfo m : members.values()) {
      ring.add(new Member(m.id(), m.joinedAtMs()));
    }
    return ring;
  }

  /** Peers other than this node, for choosing gossip targets. */
  public synchronized List<String> peers() {
    List<String> peers = new ArrayList<>(members.keySet());
    peers.remove(selfId);
    return peers;
  }
}
