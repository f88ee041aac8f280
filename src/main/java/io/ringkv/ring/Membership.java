package io.ringkv.ring;

import java.util.Locale;

/**
 * A ring member's state (API.md, "Membership changes"). A node that gossips but is not in the
 * ring yet is {@code waiting}; that is a node's state, not a ring member's, so it is not here.
 */
public enum Membership {
  /** Added by a join in progress: receiving copies of the partitions it will own; owns none yet. */
  JOINING,
  /** Owns partitions. */
  MEMBER,
  /** Handing its partitions over (leave, or remove of a dead node); owns them until the change ends. */
  LEAVING,
  /** Gone: owns nothing, may be stopped. Kept in the ring so every view shows where it went. */
  LEFT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
