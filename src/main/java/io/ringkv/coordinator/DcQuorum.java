package io.ringkv.coordinator;

import io.ringkv.cluster.Consistency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts acknowledgements by DC against a {@link Consistency.Requirement}. Pure and
 * single-threaded. REACHED as soon as every DC's requirement and the total are met, FAILED as soon
 * as the answers still outstanding can no longer meet them. One answer may stand for several
 * acknowledgements (a relay reports how many replicas of its DC stored a write).
 */
final class DcQuorum {
  private final Consistency.Requirement requirement;
  private final Map<String, Integer> expected;
  private final Map<String, Integer> acked = new LinkedHashMap<>();
  private final Map<String, Integer> failed = new LinkedHashMap<>();

  /** @param expected by DC, how many acknowledgements could count at most */
  DcQuorum(Map<String, Integer> expected, Consistency.Requirement requirement) {
    this.expected = new LinkedHashMap<>(expected);
    this.requirement = requirement;
  }

  QuorumTracker.Outcome success(String dc, int count) {
    acked.merge(dc, count, Integer::sum);
    return outcome();
  }

  QuorumTracker.Outcome failure(String dc, int count) {
    failed.merge(dc, count, Integer::sum);
    return outcome();
  }

  QuorumTracker.Outcome outcome() {
    if (requirement.metBy(acked)) {
      return QuorumTracker.Outcome.REACHED;
    }
    Map<String, Integer> possible = new LinkedHashMap<>(acked);
    expected.forEach((dc, n) -> possible.merge(dc,
        Math.max(0, n - acked.getOrDefault(dc, 0) - failed.getOrDefault(dc, 0)), Integer::sum));
    return requirement.metBy(possible) ? QuorumTracker.Outcome.PENDING : QuorumTracker.Outcome.FAILED;
  }

  boolean allAnswered() {
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      if (acked.getOrDefault(e.getKey(), 0) + failed.getOrDefault(e.getKey(), 0) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  int successes() {
    return acked.values().stream().mapToInt(Integer::intValue).sum();
  }

  int required() {
    return requirement.total();
  }

  /** Required and acknowledged by DC, as {@code dc1:2:1,dc2:2:0} (see KvResponse#dcCounts). */
  String byDc() {
    TreeSet<String> dcs = new TreeSet<>(expected.keySet());
    dcs.addAll(requirement.perDc().keySet());
    StringBuilder sb = new StringBuilder();
    for (String dc : dcs) {
      sb.append(sb.length() == 0 ? "" : ",").append(dc).append(':').append(requirement.perDc().getOrDefault(dc, 0))
          .append(':').append(acked.getOrDefault(dc, 0));
    }
    return sb.toString();
  }
}
