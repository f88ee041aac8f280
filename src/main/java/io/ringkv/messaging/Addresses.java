package io.ringkv.messaging;

/** Every event-bus address ringkv uses, in one place. Point-to-point traffic is node-addressed. */
public final class Addresses {
  private Addresses() {}

  /** Coordinator of a node: the HTTP API sends here (local), other nodes forward here. */
  public static String coordinator(String nodeId) {
    return "ringkv.coordinator." + nodeId;
  }

  /** Storage of a node: replica reads, coordinated writes and merges. */
  public static String storage(String nodeId) {
    return "ringkv.storage." + nodeId;
  }

  /** Gossip of a node: membership digests and ring state. */
  public static String gossip(String nodeId) {
    return "ringkv.gossip." + nodeId;
  }

  /** Membership of a node: ring agreement (prepare, accept, commit) and ring fetches. */
  public static String membership(String nodeId) {
    return "ringkv.membership." + nodeId;
  }

  /** A node's local membership service: change requests from its HTTP API (JSON). */
  public static String membershipChanges(String nodeId) {
    return "ringkv.membership-changes." + nodeId;
  }

  /** Published by nodes copying partitions: their progress, for everyone's /cluster/ring view (JSON). */
  public static final String TRANSFER_PROGRESS = "ringkv.transfer.progress";

  /** Anti-entropy of a node: Merkle exchanges. */
  public static String antiEntropy(String nodeId) {
    return "ringkv.ae." + nodeId;
  }

  /** A node's cross-DC relay: writes shipped from another DC, merged into this DC's replicas. */
  public static String relay(String nodeId) {
    return "ringkv.relay." + nodeId;
  }

  /** A node's local anti-entropy service: status and pass requests from its HTTP API (JSON). */
  public static String antiEntropyControl(String nodeId) {
    return "ringkv.ae-control." + nodeId;
  }

  private static final String[] NODE_ADDRESSED = {"ringkv.storage.", "ringkv.gossip.", "ringkv.ae.",
      "ringkv.coordinator.", "ringkv.membership.", "ringkv.relay."};
  private static final String SAME_LOOP = ".loop.";

  /**
   * The node a point-to-point address belongs to, or null for publish addresses, replies and
   * addresses local to one node (a coordinator's same-loop address).
   */
  public static String targetNode(String address) {
    for (String prefix : NODE_ADDRESSED) {
      if (address.startsWith(prefix)) {
        String node = address.substring(prefix.length());
        return node.contains(SAME_LOOP) || node.isEmpty() ? null : node;
      }
    }
    return null;
  }

  /** The same-loop address of a coordinator instance of {@code nodeId} (local only). */
  public static String coordinatorOnLoop(String nodeId, String instance) {
    return coordinator(nodeId) + SAME_LOOP + instance;
  }

  /** Published by every node that joins or heartbeats, so peers discover each other's ids. */
  public static final String GOSSIP_ANNOUNCE = "ringkv.gossip.announce";

  /** Change events, published by coordinators to every node's feed hub. */
  public static final String FEED_EVENTS = "ringkv.feed.events";

  /**
   * Where change events go: {@link #FEED_EVENTS} for a one-DC cluster; with replicas per DC, one
   * address per DC, so an event never crosses the WAN (each DC's relay publishes the writes it
   * received from the others once they are stored there).
   */
  public static String feedEvents(String dcOrNull) {
    return dcOrNull == null ? FEED_EVENTS : FEED_EVENTS + "." + dcOrNull;
  }
}
