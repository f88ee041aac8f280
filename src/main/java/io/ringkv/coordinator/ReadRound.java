package io.ringkv.coordinator;

import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one quorum read: the answers so far, their reconciliation, and which replicas
 * turned out stale once every answer is in. Pure; driven from one event loop.
 */
final class ReadRound {
  final QuorumTracker tracker;
  private final Map<String, SiblingSet> answers = new LinkedHashMap<>();
  private final ConflictMode mode;
  SiblingSet merged = SiblingSet.empty();

  ReadRound(List<String> replicas, int required) {
    this(replicas, required, ConflictMode.SIBLINGS);
  }

  ReadRound(List<String> replicas, int required, ConflictMode mode) {
    this.tracker = new QuorumTracker(replicas.size(), required);
    this.mode = mode;
  }

  QuorumTracker.Outcome success(String replica, SiblingSet siblings) {
    SiblingSet set = siblings == null ? SiblingSet.empty() : siblings;
    answers.put(replica, set);
    merged = merged.merge(set, mode);
    return tracker.onSuccess();
  }

  QuorumTracker.Outcome failure(String replica) {
    return tracker.onFailure();
  }

  /**
   * True when the reconciled set holds siblings that no single replica held: the conflict became
   * visible only by reading several replicas, so feed subscribers have not heard of it yet.
   */
  boolean revealsConflict() {
    return merged.versions().size() > 1 && answers.values().stream().noneMatch(a -> a.sameVersionsAs(merged));
  }

  /** Replicas that answered with something other than the reconciled set. */
  List<String> staleReplicas() {
    List<String> stale = new ArrayList<>();
    answers.forEach((replica, set) -> {
      if (!set.sameVersionsAs(merged)) {
        stale.add(replica);
      }
    });
    return stale;
  }
}
