package io.ringkv.coordinator;

import io.ringkv.cluster.ReplicaPlan;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;

/**
 * The state of one replicated write: which acknowledgements count toward W (home replicas, and
 * fallbacks only when the request is sloppy: {@link ReplicaPlan#counts}), and every sibling the
 * acknowledging replicas hold together (a replica that had a concurrent version answers with
 * it). Pure; driven from the coordinator's event loop.
 */
final class WriteRound {
  final QuorumTracker tracker;
  private final boolean sloppy;
  private final ConflictMode mode;
  private SiblingSet known;

  /** @param stored the coordinating replica's sibling set after its write (it is a live home: it counts) */
  WriteRound(ReplicaPlan plan, int w, boolean sloppy, ConflictMode mode, SiblingSet stored) {
    this.tracker = new QuorumTracker(plan.countable(sloppy), w);
    this.sloppy = sloppy;
    this.mode = mode;
    this.known = stored;
  }

  /** The coordinating replica's own copy: stored (or synced) or not. */
  QuorumTracker.Outcome ownCopy(boolean stored) {
    return stored ? tracker.onSuccess() : tracker.onFailure();
  }

  /**
   * One target's answer ({@code theirs}: what it holds beyond what it was sent, or null). An answer
   * that does not count toward W changes nothing but the siblings known.
   */
  QuorumTracker.Outcome answer(ReplicaPlan.Target target, boolean stored, SiblingSet theirs) {
    if (stored && theirs != null) {
      known = known.merge(theirs, mode);
    }
    if (!ReplicaPlan.counts(target, sloppy)) {
      return tracker.outcome();
    }
    return stored ? tracker.onSuccess() : tracker.onFailure();
  }

  /** Every sibling the coordinator and the replicas that answered hold together. */
  SiblingSet known() {
    return known;
  }
}
