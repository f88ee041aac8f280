package io.ringkv.cluster;

import java.util.Objects;

/**
 * Whether this node accepts injected faults ({@code --fault-injection}) and the plan in force.
 * The admin endpoints set the plan; the event-bus interceptors read it on every message.
 */
public final class FaultInjection {
  private final boolean enabled;
  private volatile FaultPlan plan = FaultPlan.NONE;

  public FaultInjection(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public FaultPlan plan() {
    return plan;
  }

  /** Replaces the plan in force. */
  public void apply(FaultPlan next) {
    if (!enabled) {
      throw new IllegalStateException("fault injection is off on this node (--fault-injection false)");
    }
    plan = Objects.requireNonNull(next);
  }

  public void heal() {
    plan = FaultPlan.NONE;
  }
}
