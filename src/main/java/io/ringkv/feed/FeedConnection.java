package io.ringkv.feed;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

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
  /** The socket's Netty channel, for writing pre-encoded event frames; null: use the WebSocket API. */
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
    ws.drainHandler(v -> flush());
    if (channel != null) {
      // Frames written past Vert.x are not in its write queue, so its drain handler does not see
      // them: the channel's own writability says when to go on.
      channel.pipeline().addFirst("ringkv-feed-drain", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
          if (ctx.channel().isWritable()) {
            flush();
          }
          ctx.fireChannelWritabilityChanged();
        }
      });
    }
    ws.exceptionHandler(err -> { });
    ws.closeHandler(v -> close());
  }

  boolean matches(String key) {
    return subscriptions.matches(key);
  }

  /** True when an event for this connection would be dropped now, so its frame need not be built. */
  boolean full() {
    return !closed && queue.isFull();
  }

  /** Counts an event dropped without building it (see {@link #full()}). */
  void dropUnbuilt() {
    queue.countDrop();
    meters.dropped.increment();
  }

  /** Queues one event's frame (shared by every matching connection) and sends what the socket takes. */
  void deliver(byte[] frame) {
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
      close(); // closed by the peer; the close handler has not run yet (writeQueueFull would throw)
    }
    while (!closed && !backedUp()) {
      long dropped = queue.takeDropped();
      if (dropped > 0) {
        ws.writeTextMessage(FeedFrames.dropped(dropped));
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
   * The frame's bytes go straight to the channel, past the WebSocket encoder (which passes bytes
   * through): encoding an event's JSON and framing it once per event instead of once per
   * subscriber is most of the cost of a large fan-out. Same event loop, same order as the
   * connection's other writes; the channel's writability (see backedUp) bounds what is buffered.
   */
  private void writeFrame(byte[] frame) {
    if (channel != null) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(frame), channel.voidPromise());
    } else {
      ws.writeFrame(WebSocketFrame.textFrame(FeedFrames.payloadText(frame), true));
    }
  }

  private boolean backedUp() {
    return ws.writeQueueFull() || (channel != null && !channel.isWritable());
  }

  private void pauseReadingWhileBackedUp() {
    boolean backedUp = !closed && backedUp();
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
      ws.writeTextMessage(text);
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
