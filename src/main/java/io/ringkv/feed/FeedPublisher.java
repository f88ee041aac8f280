package io.ringkv.feed;

import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.FeedBatch;
import io.ringkv.messaging.FeedEvent;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every acknowledged write to every node's feed subscribers. Runs on the coordinators'
 * event loops and only hands immutable messages to the event bus: it never waits for, nor knows
 * about, subscribers, so a slow subscriber cannot slow a write.
 *
 * <p>The events of one event-loop turn leave together, as one {@link FeedBatch} published at the
 * end of the turn: every node gets every event, so one message per write cost each write a
 * message to every node (a twelfth of a 3-node cluster's CPU under a write load, in a profile);
 * batched, a turn that acknowledges several writes pays for one. Events keep their order.
 */
public final class FeedPublisher implements ChangeListener {
  private final Vertx vertx;
  /** One sequence per node: the node builds one publisher and shares it between its coordinators. */
  private final AtomicLong sequence = new AtomicLong();
  private final String address;
  /** The events of the current turn, per event-loop thread (each coordinator publishes from its own). */
  private final ThreadLocal<Turn> turns = ThreadLocal.withInitial(Turn::new);

  private static final class Turn {
    List<FeedEvent> events = new ArrayList<>();
    boolean flushScheduled;
  }

  public FeedPublisher(Vertx vertx) {
    this(vertx, Addresses.FEED_EVENTS);
  }

  /** Publishing on {@code address} ({@link Addresses#feedEvents}: this node's DC only with replicas per DC). */
  public FeedPublisher(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
    FeedBatch.registerCodec(vertx.eventBus());
  }

  @Override
  public void written(byte[] key, SiblingSet siblings, String coordinator) {
    if (siblings == null || siblings.isEmpty()) {
      return;
    }
    FeedEvent event = new FeedEvent(key, siblings, coordinator, sequence.incrementAndGet());
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      vertx.eventBus().publish(address, new FeedBatch(List.of(event)));
      return;
    }
    Turn turn = turns.get();
    turn.events.add(event);
    if (!turn.flushScheduled) {
      turn.flushScheduled = true;
      context.runOnContext(v -> flush(turn)); // after the tasks already queued on this event loop
    }
  }

  private void flush(Turn turn) {
    List<FeedEvent> events = turn.events;
    turn.events = new ArrayList<>();
    turn.flushScheduled = false;
    vertx.eventBus().publish(address, new FeedBatch(events));
  }
}
