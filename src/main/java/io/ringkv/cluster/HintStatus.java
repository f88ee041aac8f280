package io.ringkv.cluster;

import java.util.Map;

/**
 * The hints this node keeps for other nodes ({@code GET /cluster/hints}): versions pending per
 * target node, their bytes, and the versions delivered and dropped since the process started.
 */
public record HintStatus(Map<String, Long> pending, long pendingBytes, long delivered, long dropped) {
  public HintStatus {
    pending = Map.copyOf(pending);
  }

  public static final HintStatus NONE = new HintStatus(Map.of(), 0, 0, 0);
}
