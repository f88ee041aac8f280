package io.ringkv.chaos;

import java.util.List;

/**
 * The checker's verdict: counts per kind of violation (phantoms and lost writes count distinct
 * values, divergence counts keys) and every violation, in a stable order; and, apart, the home
 * replicas that lag only by writes in flight when a node was killed (see {@link Crashes}), which
 * do not fail a run.
 */
public record CheckReport(long lost, long phantom, long resurrected, long divergentKeys, long unreadable,
    List<Violation> violations, List<Violation> lagging) {

  public CheckReport {
    violations = List.copyOf(violations);
    lagging = List.copyOf(lagging);
  }

  /** True when nothing was lost, phantom, resurrected, divergent or unreadable. */
  public boolean passed() {
    return violations.isEmpty();
  }
}
