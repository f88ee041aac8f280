package io.ringkv.feed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.ringkv.netty.VertxNetty;
import io.ringkv.security.AuthOutcome;
import io.ringkv.security.Authenticator;
import io.ringkv.security.Role;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscriber's WebSocket, as the last handler of its Netty channel (see
 * {@link FeedRoutes}: Vert.x does the handshake, then hands the socket over). All of its state
 * lives on the channel's event loop, so nothing here is locked. Kept small on purpose: an idle
 * subscriber costs this object, its {@link Subscriptions} and its channel.
 *
 * <p>Back-pressure: events go through a bounded {@link DropQueue}; while the channel's write
 * buffer is full they wait there, and once that queue is full too new events are dropped and
 * counted. When the socket drains, the drop count is reported first (one {@code error} frame with
 * {@code dropped}), then the queue is flushed. While the socket is backed up the connection also
 * stops reading client frames, so a client that never reads cannot make the node buffer replies.
 */
final class FeedConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(FeedConnection.class.getName());
  private static final byte[] NO_BYTES = new byte[0];
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final Channel channel;
  private final FeedHub hub;
  private final FeedMeters meters;
  private final Subscriptions subscriptions = Subscriptions.withDefaultLimits();
  private final DropQueue<byte[]> queue;
  /** Written frames wait for the hub's next flush (see {@link FeedHub#flushLater}). */
  boolean flushPending;
  /** The client message being assembled from frames; null between messages. */
  private byte[] partial;
  private int partialLength;
  private boolean partialBinary;
  private boolean partialTooLarge;
  private boolean readingPaused;
  private boolean closed;
  /** Set while the connection still owes its {@code auth} message (no token in the upgrade request). */
  private Authenticator awaitingAuth;

  FeedConnection(Channel channel, FeedHub hub, FeedMeters meters, int queueCapacity) {
    this.channel = channel;
    this.hub = hub;
    this.meters = meters;
    this.queue = new DropQueue<>(queueCapacity);
  }

  /**
   * The upgrade request carried no token: the first message must be {@code {"op":"auth"}} with a
   * token holding {@code read}, within {@code timeoutMs}; anything else ends the connection.
   */
  void requireAuth(Authenticator auth, long timeoutMs) {
    awaitingAuth = auth;
    channel.eventLoop().schedule(() -> {
      if (awaitingAuth != null) {
        refuse("no auth message within " + timeoutMs + " ms");
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
  }

  Channel channel() {
    return channel;
  }

  Subscriptions subscriptions() {
    return subscriptions;
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
    if (queue.isEmpty() && queue.dropped() == 0 && channel.isWritable()) {
      send(frame.get()); // the usual case: straight out, no queue needed (and none allocated)
    } else if (!queue.offer(frame)) {
      meters.dropped.increment();
      return;
    }
    flush();
  }

  private void flush() {
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
      send(next);
    }
    pauseReadingWhileBackedUp();
  }

  private void send(byte[] event) {
    writeFrame(event);
    meters.delivered.increment();
  }

  /**
   * A complete text frame goes straight to the channel, past the WebSocket encoder (which passes
   * bytes through): an event's JSON and framing are built once per event instead of once per
   * subscriber. The flush comes later, once for all the frames this event-loop turn wrote.
   */
  private void writeFrame(byte[] frame) {
    channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
    hub.flushLater(this);
  }

  void flushNow() {
    flushPending = false;
    channel.flush();
  }

  private void pauseReadingWhileBackedUp() {
    boolean backedUp = !closed && !channel.isWritable();
    if (backedUp != readingPaused) {
      readingPaused = backedUp;
      channel.config().setAutoRead(!backedUp);
    }
  }

  // ---------------------------------------------------------------- Netty events

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof WebSocketFrame frame) {
        frame(frame);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable()) {
      flush();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The frame decoder reports protocol violations (unmasked or oversize frames...) here.
    LOG.log(Level.FINE, "feed socket failed; closing it", cause);
    closeWith(WebSocketCloseStatus.PROTOCOL_ERROR);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (VertxNetty.isShutdown(event) || event instanceof IdleStateEvent) {
      closeWith(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE); // the server is stopping
    }
    ReferenceCountUtil.release(event);
  }

  // ---------------------------------------------------------------- client messages

  private void frame(WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame) {
      channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), channel.voidPromise());
      return;
    }
    if (frame instanceof CloseWebSocketFrame) {
      // Echo the close (RFC 6455 5.5.1), then close the TCP connection.
      channel.writeAndFlush(new CloseWebSocketFrame(true, 0, frame.content().retain()))
          .addListener(ChannelFutureListener.CLOSE);
      close();
      return;
    }
    if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
      partial = NO_BYTES;
      partialLength = 0;
      partialBinary = frame instanceof BinaryWebSocketFrame;
      partialTooLarge = false;
    } else if (!(frame instanceof ContinuationWebSocketFrame) || partial == null) {
      return; // a pong, or a stray continuation
    }
    if (!partialBinary && !partialTooLarge) {
      append(frame.content());
    }
    if (frame.isFinalFragment()) {
      String text = partialBinary || partialTooLarge ? null
          : new String(partial, 0, partialLength, StandardCharsets.UTF_8);
      partial = null;
      if (awaitingAuth != null) {
        authenticate(text == null ? new FeedCommand.Invalid("not an auth message") : FrameParser.parse(text));
      } else if (partialBinary) {
        reply(FeedFrames.error("binary messages are not supported: send JSON text messages"));
      } else if (partialTooLarge) {
        reply(FeedFrames.error("message is larger than " + FeedLimits.MAX_MESSAGE_BYTES + " bytes"));
      } else {
        command(FrameParser.parse(text));
      }
    }
  }

  private void append(ByteBuf content) {
    int length = content.readableBytes();
    if (partialLength + length > FeedLimits.MAX_MESSAGE_BYTES) {
      partialTooLarge = true;
      partial = NO_BYTES;
      partialLength = 0;
      return;
    }
    if (partialLength + length > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partialLength + length, partial.length * 2));
    }
    content.getBytes(content.readerIndex(), partial, partialLength, length);
    partialLength += length;
  }

  private void authenticate(FeedCommand command) {
    if (!(command instanceof FeedCommand.Auth auth)) {
      refuse("authenticate first: send {\"op\": \"auth\", \"token\": \"...\"} before any subscribe");
      return;
    }
    AuthOutcome outcome = awaitingAuth.checkToken(auth.token(), Role.READ);
    if (outcome == AuthOutcome.ALLOWED) {
      awaitingAuth = null;
    } else {
      refuse(outcome == AuthOutcome.FORBIDDEN ? "this token lacks the read role" : "unknown token");
    }
  }

  /** An error frame, then the close handshake with 1008 (policy violation). */
  private void refuse(String message) {
    awaitingAuth = null;
    reply(FeedFrames.error(message));
    closeWith(WebSocketCloseStatus.POLICY_VIOLATION);
  }

  private void command(FeedCommand command) {
    if (command instanceof FeedCommand.Auth) {
      reply(FeedFrames.error("already authenticated"));
    } else if (command instanceof FeedCommand.Subscribe s) {
      Subscriptions.Result result = subscriptions.subscribe(s.keys(), s.prefix());
      if (result.error() != null) {
        reply(FeedFrames.error(result.error()));
      } else {
        hub.subscribed(this, result.added().keys(), result.added().prefix());
        reply(FeedFrames.subscribed(result.added().keys(), result.added().prefix()));
      }
    } else if (command instanceof FeedCommand.Unsubscribe u) {
      Subscriptions.Removed removed = subscriptions.unsubscribe(u.keys(), u.prefix());
      hub.unsubscribed(this, removed.keys(), removed.prefix() == null ? List.of() : List.of(removed.prefix()));
    } else if (command instanceof FeedCommand.Invalid invalid) {
      reply(FeedFrames.error(invalid.message()));
    }
  }

  /**
   * Replies to a client message right away, ahead of queued events. Bounded: reading stops while
   * the socket is backed up, so at most one reply per message read is ever buffered.
   */
  private void reply(String text) {
    if (!closed) {
      writeFrame(FeedFrames.textFrame(text));
      pauseReadingWhileBackedUp();
    }
  }

  /** Starts the closing handshake; a peer that does not let the close frame out is cut off. */
  private void closeWith(WebSocketCloseStatus status) {
    if (!closed && channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
      channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } else {
      channel.close();
    }
    close();
  }

  private void close() {
    if (!closed) {
      closed = true;
      queue.clear();
      hub.remove(this);
    }
  }
}
