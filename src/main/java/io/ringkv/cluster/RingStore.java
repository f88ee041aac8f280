package io.ringkv.cluster;

import io.ringkv.ring.RingState;

/**
 * Where a node keeps the ring it agreed on and its promises in the ring agreement, so that both
 * survive restarts (DESIGN.md decision 7: each node keeps the ring it last agreed on in its data
 * dir). Writes are synced. Blocking: call off the event loop.
 */
public interface RingStore {
  /** The ring this node last held, or null (a new data dir). */
  RingState loadRing();

  void saveRing(RingState ring);

  /** The ring acceptor's encoded state, or null. */
  byte[] loadAcceptor();

  void saveAcceptor(byte[] state);
}
