package io.ringkv.feed;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.Supplier;

/**
 * One subscriber's WebSocket. All of its state lives on the event loop of the HTTP instance that
 * accepted it, so nothing here is locked.
 *
 * <p>Back-pressure: events go through a bounded {@link DropQueue}; while the socket's write queue
 * is full they wait there, and once that queue is full too new events are dropped and counted.
 * When the socket drains, the drop count is reported first (one {@code error} frame with
 * {@code dropped}), then the queue is flushed. While the socket is backed up the connection also
 * stops reading client frames, so a client that never reads cannot make the node buffer replies.
 */
final class FeedConnection {
  private final ServerWebSocket ws;
  /** The socket's Netty channel: every frame the feed sends is written to it directly. */
  private final Channel channel;
  private final FeedHub hub;
  private final FeedMeters meters;
  private final Subscriptions subscriptions = Subscriptions.withDefaultLimits();
  private final DropQueue<byte[]> queue;
  /** The client message being assembled from frames; null between messages. */
  private Buffer partial;
  private boolean partialBinary;
  private boolean partialTooLarge;
  private boolean inMessage;
  private boolean readingPaused;
  private boolean closed;

  FeedConnection(ServerWebSocket ws, Channel channel, FeedHub hub, FeedMeters meters, int queueCapacity) {
    this.ws = ws;
    this.channel = channel;
    this.hub = hub;
    this.meters = meters;
    this.queue = new DropQueue<>(queueCapacity);
  }

  void start() {
    ws.frameHandler(this::frame);
    // Vert.x flushes every message on its own: one system call per event per subscriber, which is
    // what saturates a node fanning events out. Flush consolidation defers the flush to the end of
    // the event-loop task, so the events one turn writes to this socket leave in one system call
    // (a lone event still leaves in the same turn).
    channel.pipeline().addFirst("ringkv-feed-flush-consolidation",
        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    // The frames bypass Vert.x's write queue, so the channel's own writability says when to go on.
    channel.pipeline().addFirst("ringkv-feed-drain", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
          flush();
        }
        ctx.fireChannelWritabilityChanged();
      }
    });
    ws.exceptionHandler(err -> { });
    ws.closeHandler(v -> close());
  }

  boolean matches(String key) {
    return subscriptions.matches(key);
  }

  /**
   * Queues one event's frame and sends what the socket takes. {@code frame} is shared by every
   * matching connection and built on first use: a connection whose queue is full only counts the
   * drop, so a subscriber that stopped reading costs no JSON per write.
   */
  void deliver(Supplier<byte[]> frame) {
    if (closed) {
      return;
    }
    if (!queue.offer(frame)) {
      meters.dropped.increment();
      return;
    }
    flush();
  }

  private void flush() {
    if (!closed && ws.isClosed()) {
      close(); // closed by the peer; the close handler has not run yet
    }
    while (!closed && channel.isWritable()) {
      long dropped = queue.takeDropped();
      if (dropped > 0) {
        writeFrame(FeedFrames.textFrame(FeedFrames.dropped(dropped)));
        continue;
      }
      byte[] next = queue.poll();
      if (next == null) {
        break;
      }
      writeFrame(next);
      meters.delivered.increment();
    }
    pauseReadingWhileBackedUp();
  }

  /**
   * A complete text frame goes straight to the channel, past the WebSocket encoder (which passes
   * bytes through): an event's JSON and framing are built once per event instead of once per
   * subscriber. Same event loop, same order as the connection's other writes.
   */
  private void writeFrame(byte[] frame) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(frame), channel.voidPromise());
  }

  private void pauseReadingWhileBackedUp() {
    boolean backedUp = !closed && !channel.isWritable();
    if (backedUp && !readingPaused) {
      ws.pause();
      readingPaused = true;
    } else if (!backedUp && readingPaused) {
      readingPaused = false;
      ws.resume();
    }
  }

  // ---------------------------------------------------------------- client messages

  private void frame(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      inMessage = true;
      partial = Buffer.buffer();
      partialBinary = frame.isBinary();
      partialTooLarge = false;
    } else if (!frame.isContinuation() || !inMessage) {
      return; // ping, pong, close: Vert.x answers them; a stray continuation is ignored
    }
    if (!partialBinary && !partialTooLarge) {
      if (partial.length() + frame.binaryData().length() > FeedLimits.MAX_MESSAGE_BYTES) {
        partialTooLarge = true;
        partial = null;
      } else {
        partial.appendBuffer(frame.binaryData());
      }
    }
    if (frame.isFinal()) {
      inMessage = false;
      Buffer message = partial;
      partial = null;
      if (partialBinary) {
        reply(FeedFrames.error("binary messages are not supported: send JSON text messages"));
      } else if (partialTooLarge) {
        reply(FeedFrames.error("message is larger than " + FeedLimits.MAX_MESSAGE_BYTES + " bytes"));
      } else {
        command(FrameParser.parse(message.toString()));
      }
    }
  }

  private void command(FeedCommand command) {
    if (command instanceof FeedCommand.Subscribe s) {
      Subscriptions.Result result = subscriptions.subscribe(s.keys(), s.prefix());
      reply(result.error() != null ? FeedFrames.error(result.error())
          : FeedFrames.subscribed(result.added().keys(), result.added().prefix()));
    } else if (command instanceof FeedCommand.Unsubscribe u) {
      subscriptions.unsubscribe(u.keys(), u.prefix());
    } else if (command instanceof FeedCommand.Invalid invalid) {
      reply(FeedFrames.error(invalid.message()));
    }
  }

  /**
   * Replies to a client message right away, ahead of queued events. Bounded: reading stops while
   * the socket is backed up, so at most one reply per message read is ever buffered.
   */
  private void reply(String text) {
    if (!closed && !ws.isClosed()) {
      writeFrame(FeedFrames.textFrame(text));
      pauseReadingWhileBackedUp();
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      queue.clear();
      hub.remove(this);
    }
  }
}
