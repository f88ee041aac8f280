package io.ringkv.feed;

import io.ringkv.coordinator.CoordinatorVerticle;
import io.ringkv.messaging.Addresses;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every acknowledged write to every node's feed subscribers. Runs on the coordinator's
 * event loop and only hands one immutable message to the event bus: it never waits for, nor
 * knows about, subscribers, so a slow subscriber cannot slow a write.
 */
public final class FeedPublisher implements CoordinatorVerticle.ChangeListener {
  /** One sequence per node (per Vertx), shared by the node's coordinator instances. */
  private static final Map<Vertx, AtomicLong> SEQUENCES = Collections.synchronizedMap(new WeakHashMap<>());

  private final Vertx vertx;
  private final AtomicLong sequence;

  public FeedPublisher(Vertx vertx) {
    this.vertx = vertx;
    this.sequence = SEQUENCES.computeIfAbsent(vertx, v -> new AtomicLong());
    FeedEvent.registerCodec(vertx.eventBus());
  }

  @Override
  public void written(byte[] key, SiblingSet siblings, String coordinator) {
    if (siblings == null || siblings.isEmpty()) {
      return;
    }
    vertx.eventBus().publish(Addresses.FEED_EVENTS,
        new FeedEvent(key, siblings, coordinator, sequence.incrementAndGet()));
  }
}
