package io.ringkv.feed;

import io.netty.channel.Channel;
import io.ringkv.messaging.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The feed connections of one HTTP verticle instance, and its consumer of
 * {@link Addresses#FEED_EVENTS} (each instance gets every event). Lives on the instance's event
 * loop: connections are added, removed and fed there, without locks. Each event's frame is built
 * at most once here and the same bytes go to every matching connection.
 */
final class FeedHub {
  private static final Logger LOG = Logger.getLogger(FeedHub.class.getName());
  private static final FeedConnection[] NONE = new FeedConnection[0];

  private final FeedMeters meters;
  private final int queueCapacity;
  /** Copy-on-write: changes per connect/disconnect, read per event. */
  private FeedConnection[] connections = NONE;

  FeedHub(Vertx vertx, FeedMeters meters, int queueCapacity) {
    this.meters = meters;
    this.queueCapacity = queueCapacity;
    FeedEvent.registerCodec(vertx.eventBus());
    vertx.eventBus().<FeedEvent>consumer(Addresses.FEED_EVENTS, this::onEvent);
  }

  void open(ServerWebSocket ws, Channel channel) {
    FeedConnection c = new FeedConnection(ws, channel, this, meters, queueCapacity);
    FeedConnection[] next = Arrays.copyOf(connections, connections.length + 1);
    next[next.length - 1] = c;
    connections = next;
    meters.subscribers.incrementAndGet();
    c.start();
  }

  void remove(FeedConnection c) {
    FeedConnection[] current = connections;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == c) {
        FeedConnection[] next = new FeedConnection[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        connections = next;
        meters.subscribers.decrementAndGet();
        return;
      }
    }
  }

  private void onEvent(Message<FeedEvent> message) {
    FeedConnection[] current = connections;
    if (current.length == 0) {
      return;
    }
    FeedEvent event = message.body();
    String key = new String(event.key(), StandardCharsets.UTF_8);
    // Built at most once, and only if some matching connection has room for it.
    byte[][] built = new byte[1][];
    Supplier<byte[]> frame = () -> built[0] != null ? built[0]
        : (built[0] = FeedFrames.textFrame(FeedFrames.event(event)));
    for (FeedConnection c : current) {
      if (c.matches(key)) {
        try {
          c.deliver(frame);
        } catch (RuntimeException e) {
          // One broken connection must not cost the others their event.
          LOG.log(Level.FINE, "feed connection failed while delivering", e);
        }
      }
    }
  }
}
