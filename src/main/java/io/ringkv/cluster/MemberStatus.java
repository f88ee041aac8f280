package io.ringkv.cluster;

import java.util.Locale;

/** Liveness as this node's failure detector sees it. */
public enum MemberStatus {
  UP, SUSPECT, DOWN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
