package io.ringkv.coordinator;

/**
 * Counts replica answers against a quorum. Pure and single-threaded (a coordinator drives it from
 * one event loop). The outcome is decided as early as possible: REACHED once {@code required}
 * replicas succeeded, FAILED as soon as too few replicas are left to ever reach it.
 */
public final class QuorumTracker {

  public enum Outcome { PENDING, REACHED, FAILED }

  private final int total;
  private final int required;
  private int successes;
  private int failures;

  public QuorumTracker(int total, int required) {
    if (total < 0 || required < 1) {
      throw new IllegalArgumentException("total " + total + ", required " + required);
    }
    this.total = total;
    this.required = required;
  }

  public Outcome onSuccess() {
    checkOpen();
    successes++;
    return outcome();
  }

  public Outcome onFailure() {
    checkOpen();
    failures++;
    return outcome();
  }

  public Outcome outcome() {
    if (successes >= required) {
      return Outcome.REACHED;
    }
    if (successes + (total - successes - failures) < required) {
      return Outcome.FAILED;
    }
    return Outcome.PENDING;
  }

  /** True once every replica asked has answered (success or failure). */
  public boolean allAnswered() {
    return successes + failures == total;
  }

  public int successes() {
    return successes;
  }

  public int failures() {
    return failures;
  }

  public int required() {
    return required;
  }

  public int total() {
    return total;
  }

  private void checkOpen() {
    if (allAnswered()) {
      throw new IllegalStateException("all " + total + " replicas already answered");
    }
  }
}
