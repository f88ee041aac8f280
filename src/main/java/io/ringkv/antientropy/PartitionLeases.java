package io.ringkv.antientropy;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one exchange per partition involving this node at a time, pure and driven by the
 * caller's clock. Without it, when several nodes run passes at once (every node after a wiped
 * replica comes back, or a fault test asking all of them), each would send the wiped replica the
 * same records: measured, it took in twice its data.
 *
 * <p>An initiator takes the partition's lease before its exchange and releases it after. A peer
 * admits an exchange's first message only while the partition is free here, or already leased to
 * that same initiator; when both sides started an exchange with each other at once, the one with
 * the smaller node id goes on and the other is told it is busy. Every later message refreshes the
 * peer's lease, which lapses {@code peerTtlMs} after the last one (the peer cannot know when the
 * initiator stopped). An initiator told "busy" gives its lease up and tries again a little later.
 * Single-threaded (the anti-entropy verticle's event loop).
 */
final class PartitionLeases {
  enum Role { INITIATOR, PEER }

  private record Lease(String node, Role role, long expiresMs) {}

  private final String self;
  private final long peerTtlMs;
  private final long initiatorTtlMs;
  private final Map<Integer, Lease> leases = new HashMap<>();

  PartitionLeases(String self, long peerTtlMs, long initiatorTtlMs) {
    this.self = self;
    this.peerTtlMs = peerTtlMs;
    this.initiatorTtlMs = initiatorTtlMs;
  }

  /** Takes the partition for an exchange with {@code peer}; false while another exchange holds it here. */
  boolean tryInitiate(int partition, String peer, long nowMs) {
    Lease held = live(partition, nowMs);
    if (held != null) {
      return false;
    }
    leases.put(partition, new Lease(peer, Role.INITIATOR, nowMs + initiatorTtlMs));
    return true;
  }

  /** Gives the partition up after this node's exchange with {@code peer} ended (or was refused). */
  void release(int partition, String peer) {
    Lease held = leases.get(partition);
    if (held != null && held.role() == Role.INITIATOR && held.node().equals(peer)) {
      leases.remove(partition);
    }
  }

  /** Whether to answer the first message of {@code initiator}'s exchange of the partition. */
  boolean admit(int partition, String initiator, long nowMs) {
    Lease held = live(partition, nowMs);
    if (held == null || held.role() == Role.PEER && held.node().equals(initiator)) {
      leases.put(partition, new Lease(initiator, Role.PEER, nowMs + peerTtlMs));
      return true;
    }
    // Both started an exchange with each other: the smaller id's goes on.
    return held.role() == Role.INITIATOR && held.node().equals(initiator) && initiator.compareTo(self) < 0;
  }

  /** A later message of an admitted exchange keeps the partition leased to its initiator. */
  void touch(int partition, String initiator, long nowMs) {
    Lease held = live(partition, nowMs);
    if (held == null || held.role() == Role.PEER && held.node().equals(initiator)) {
      leases.put(partition, new Lease(initiator, Role.PEER, nowMs + peerTtlMs));
    }
  }

  private Lease live(int partition, long nowMs) {
    Lease held = leases.get(partition);
    if (held != null && held.expiresMs() <= nowMs) {
      leases.remove(partition);
      return null;
    }
    return held;
  }
}
