package io.ringkv.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The faults {@code ringkv chaos} injects into its local cluster. */
public enum FaultKind {
  /** {@code kill -9} the node, restart it on the same data dir after the hold. */
  KILL,
  /** SIGSTOP the node (a hung process: its sockets stay open), SIGCONT after the hold. */
  PAUSE,
  /** Cut the nodes off from the rest through the fault endpoints (both sides drop), heal after the hold. */
  PARTITION,
  /**
   * Isolate the node by a partition, then {@code kill -9} it, delete its data dir and restart it
   * empty under the same id: whatever only it held is gone. For proving the checker catches loss.
   */
  WIPE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this fault cuts the network: an episode has at most one such action. */
  public boolean cutsNetwork() {
    return this == PARTITION || this == WIPE;
  }

  /** Parses {@code kill,pause,partition}; an unknown or repeated name is an error. */
  public static List<FaultKind> parseList(String csv) {
    List<FaultKind> kinds = new ArrayList<>();
    for (String part : csv.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      FaultKind kind;
      try {
        kind = valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown fault '" + name + "': expected kill, pause, partition or wipe");
      }
      if (kinds.contains(kind)) {
        throw new IllegalArgumentException("fault '" + name + "' is listed twice");
      }
      kinds.add(kind);
    }
    return kinds;
  }
}
