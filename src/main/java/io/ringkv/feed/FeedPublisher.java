package io.ringkv.feed;

import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.FeedEvent;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every acknowledged write to every node's feed subscribers. Runs on the coordinator's
 * event loop and only hands one immutable message to the event bus: it never waits for, nor
 * knows about, subscribers, so a slow subscriber cannot slow a write.
 */
public final class FeedPublisher implements ChangeListener {
  private final Vertx vertx;
  /** One sequence per node: the node builds one publisher and shares it between its coordinators. */
  private final AtomicLong sequence = new AtomicLong();
  private final String address;

  public FeedPublisher(Vertx vertx) {
    this(vertx, Addresses.FEED_EVENTS);
  }

  /** Publishing on {@code address} ({@link Addresses#feedEvents}: this node's DC only with replicas per DC). */
  public FeedPublisher(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  @Override
  public void written(byte[] key, SiblingSet siblings, String coordinator) {
    if (siblings == null || siblings.isEmpty()) {
      return;
    }
    vertx.eventBus().publish(address,
        new FeedEvent(key, siblings, coordinator, sequence.incrementAndGet()));
  }
}
