package io.ringkv.chaos;

import java.util.List;

/** One fault of an episode: its kind and the nodes it hits (for a partition: the side cut off). */
public record FaultAction(FaultKind kind, List<String> nodes) {
  public FaultAction {
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a fault hits at least one node");
    }
  }

  public String describe() {
    String who = String.join(",", nodes);
    return switch (kind) {
      case KILL -> "kill -9 " + who;
      case PAUSE -> "pause " + who;
      case PARTITION -> "partition {" + who + "} | rest";
      case WIPE -> "isolate and wipe " + who;
    };
  }
}
