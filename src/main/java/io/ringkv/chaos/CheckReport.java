package io.ringkv.chaos;

import java.util.List;

/**
 * The checker's verdict: counts per kind of violation (phantoms and lost writes count distinct
 * values, divergence counts keys) and every violation, in a stable order.
 */
public record CheckReport(long lost, long phantom, long resurrected, long divergentKeys, long unreadable,
    List<Violation> violations) {

  public CheckReport {
    violations = List.copyOf(violations);
  }

  /** True when nothing was lost, phantom, resurrected, divergent or unreadable. */
  public boolean passed() {
    return violations.isEmpty();
  }
}
