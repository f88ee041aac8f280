package io.ringkv.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which coordinator instance runs on which event-loop thread of this node, so that an HTTP
 * instance sends to the coordinator on its own loop (the hop is then a task on the same thread,
 * not a thread wake-up). Falls back to the node-wide address (round robin).
 */
public final class LocalCoordinators {
  private final String nodeId;
  private final Map<Thread, String> byThread = new ConcurrentHashMap<>();

  public LocalCoordinators(String nodeId) {
    this.nodeId = nodeId;
  }

  /** A coordinator instance running on the calling event-loop thread registers its local address. */
  public void registerOnThisThread(String address) {
    byThread.put(Thread.currentThread(), address);
  }

  /** The coordinator address to use from the calling thread. */
  public String addressForThisThread() {
    String sameLoop = byThread.get(Thread.currentThread());
    return sameLoop != null ? sameLoop : Addresses.coordinator(nodeId);
  }
}
