package io.ringkv.feed;

import io.netty.channel.Channel;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.FeedBatch;
import io.ringkv.messaging.FeedEvent;
import io.ringkv.netty.VertxNetty;
import io.ringkv.security.Authenticator;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The feed connections of one HTTP verticle instance, and its consumer of
 * {@link Addresses#FEED_EVENTS} (each instance gets every event). Lives on the instance's event
 * loop: connections are added, removed and fed there, without locks. An event reaches the
 * matching connections through a {@link SubscriptionIndex}, so idle subscribers to other keys cost
 * it nothing; its frame is built at most once and the same bytes go to every one of them.
 */
final class FeedHub {
  private static final Logger LOG = Logger.getLogger(FeedHub.class.getName());

  private final FeedMeters meters;
  private final int queueCapacity;
  private final SubscriptionIndex<FeedConnection> index = new SubscriptionIndex<>();
  /** Connections written to since the last flush; flushed together at the end of the turn. */
  private final List<FeedConnection> toFlush = new ArrayList<>();
  private boolean flushScheduled;
  /** Set while an event is handed out: connections that close meanwhile leave the index after. */
  private boolean dispatching;
  private final List<FeedConnection> closedWhileDispatching = new ArrayList<>();

  FeedHub(Vertx vertx, FeedMeters meters, int queueCapacity) {
    this(vertx, meters, queueCapacity, Addresses.FEED_EVENTS);
  }

  FeedHub(Vertx vertx, FeedMeters meters, int queueCapacity, String eventsAddress) {
    this.meters = meters;
    this.queueCapacity = queueCapacity;
    FeedBatch.registerCodec(vertx.eventBus());
    vertx.eventBus().<FeedBatch>consumer(eventsAddress, this::onBatch);
  }

  /**
   * Takes over a socket on which Vert.x has just accepted the WebSocket handshake: the feed's own
   * handler replaces Vert.x's at the end of the pipeline, after Netty's WebSocket codec (through
   * {@link VertxNetty#takeOver}, the one place that touches Vert.x's internals).
   *
   * <p>Why: Vert.x keeps about 23 KB per WebSocket (two write queues whose first chunk alone is
   * 8 KiB each, the upgrade request and its headers), more than a subscriber that only waits for
   * events should cost. Vert.x is told that its side closed, which releases its per-connection
   * state and keeps its connection meters right; the socket itself stays open and is counted by
   * {@code ringkv_feed_subscribers}. Runs on the channel's event loop, in the same task as the
   * handshake, so no frame can reach Vert.x in between.
   */
  void open(Channel channel) {
    open(channel, null, 0);
  }

  /** As above; with {@code auth} given the connection must authenticate with its first message. */
  void open(Channel channel, Authenticator auth, long authTimeoutMs) {
    if (!channel.isActive()) {
      return; // closed by the peer before the handover; Vert.x has seen it close
    }
    FeedConnection connection = new FeedConnection(channel, this, meters, queueCapacity);
    VertxNetty.takeOver(channel, "ringkv-feed", connection);
    meters.subscribers.incrementAndGet();
    if (auth != null) {
      connection.requireAuth(auth, authTimeoutMs);
    }
  }

  void subscribed(FeedConnection c, List<String> keys, String prefix) {
    for (String k : keys) {
      countIndexed(index.addKey(k, c), 1);
    }
    if (prefix != null) {
      countIndexed(index.addPrefix(prefix, c), 1);
    }
  }

  void unsubscribed(FeedConnection c, List<String> keys, List<String> prefixes) {
    for (String k : keys) {
      countIndexed(index.removeKey(k, c), -1);
    }
    for (String p : prefixes) {
      countIndexed(index.removePrefix(p, c), -1);
    }
  }

  private void countIndexed(boolean changed, int delta) {
    if (changed) {
      meters.indexed.addAndGet(delta);
    }
  }

  /** A connection closed: it leaves the index (after the event being handed out, if any). */
  void remove(FeedConnection c) {
    if (dispatching) {
      closedWhileDispatching.add(c);
      return;
    }
    unsubscribed(c, c.subscriptions().keys(), c.subscriptions().prefixes());
    meters.subscribers.decrementAndGet();
  }

  /**
   * Flushes {@code c} at the end of this event-loop turn, with every other connection written to
   * meanwhile: the events a turn hands out leave in one system call per socket, not one per event
   * (which is what saturates a node fanning events out to many subscribers).
   */
  void flushLater(FeedConnection c) {
    if (c.flushPending) {
      return;
    }
    c.flushPending = true;
    toFlush.add(c);
    if (!flushScheduled) {
      flushScheduled = true;
      c.channel().eventLoop().execute(this::flushAll);
    }
  }

  private void flushAll() {
    // By index: a flush can make a socket writable again, and its connection write (and join) more.
    for (int i = 0; i < toFlush.size(); i++) {
      toFlush.get(i).flushNow();
    }
    toFlush.clear();
    flushScheduled = false;
  }

  private void onBatch(Message<FeedBatch> message) {
    if (index.isEmpty()) {
      return; // the common case on a busy node: nobody on this instance subscribes (nothing decoded)
    }
    List<FeedEvent> events;
    try {
      events = message.body().events();
    } catch (IllegalArgumentException corrupt) {
      LOG.log(Level.WARNING, "dropped a corrupt feed batch", corrupt);
      return;
    }
    for (FeedEvent event : events) {
      onEvent(event);
    }
  }

  private void onEvent(FeedEvent event) {
    String key = new String(event.key(), StandardCharsets.UTF_8);
    // Built at most once, and only if some matching connection has room for it.
    byte[][] built = new byte[1][];
    Supplier<byte[]> frame = () -> built[0] != null ? built[0]
        : (built[0] = FeedFrames.textFrame(FeedFrames.event(event)));
    dispatching = true;
    try {
      index.forEachMatch(key, c -> {
        try {
          c.deliver(frame);
        } catch (RuntimeException e) {
          // One broken connection must not cost the others their event.
          LOG.log(Level.FINE, "feed connection failed while delivering", e);
        }
      });
    } finally {
      dispatching = false;
    }
    for (FeedConnection c : closedWhileDispatching) {
      remove(c);
    }
    closedWhileDispatching.clear();
  }
}
