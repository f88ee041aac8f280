package io.ringkv.node;

import io.ringkv.config.RingkvConfig;
import io.ringkv.gossip.MembershipTable;
import io.ringkv.messaging.Addresses;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.ring.Ring;
import io.ringkv.version.ConflictMode;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the verticles of one node share: its configuration, the ring it currently agrees on, its
 * meters and its clock. One per node (several nodes may live in one JVM in tests).
 */
public final class NodeContext {
  private final RingkvConfig config;
  private final AtomicReference<Ring> ring;
  private final StoreMetrics metrics;
  private final Clock clock;
  private final ConflictMode conflictMode;
  private final MembershipTable membership;
  private final Map<Thread, String> coordinatorsByThread = new ConcurrentHashMap<>();
  private volatile boolean ready;

  public NodeContext(RingkvConfig config, Ring initialRing, MembershipTable membership, StoreMetrics metrics,
      Clock clock) {
    this.membership = Objects.requireNonNull(membership);
    this.config = Objects.requireNonNull(config);
    this.ring = new AtomicReference<>(Objects.requireNonNull(initialRing));
    this.metrics = Objects.requireNonNull(metrics);
    this.clock = Objects.requireNonNull(clock);
    this.conflictMode = ConflictMode.parse(config.conflicts());
  }

  public String nodeId() {
    return config.id();
  }

  public RingkvConfig config() {
    return config;
  }

  public Ring ring() {
    return ring.get();
  }

  public void updateRing(Ring newRing) {
    ring.set(newRing);
  }

  /** A coordinator instance running on the calling event-loop thread registers its local address. */
  public void registerCoordinatorOnThisThread(String address) {
    coordinatorsByThread.put(Thread.currentThread(), address);
  }

  /**
   * The coordinator address to use from the calling thread: the coordinator on the same event loop
   * when there is one (no thread wake-up), else the node-wide address (round robin).
   */
  public String coordinatorAddress() {
    String sameLoop = coordinatorsByThread.get(Thread.currentThread());
    return sameLoop != null ? sameLoop : Addresses.coordinator(nodeId());
  }

  public MembershipTable membership() {
    return membership;
  }

  public StoreMetrics metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }

  public ConflictMode conflictMode() {
    return conflictMode;
  }

  public boolean isReady() {
    return ready;
  }

  public void markReady() {
    ready = true;
  }
}
