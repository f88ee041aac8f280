package io.ringkv.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ShutdownEvent;
import io.vertx.core.net.impl.VertxHandler;
import java.util.concurrent.TimeUnit;

/**
 * The one place where ringkv reaches under Vert.x's public API, to the Netty objects beneath it.
 * Everything here depends on Vert.x internals ({@code io.vertx.core.net.impl},
 * {@code io.vertx.core.internal}) that may change in any Vert.x release; {@code VertxNettyTest}
 * checks each of them against the Vert.x on the classpath, and {@code VertxInternalsConfinedTest}
 * keeps every other class of ringkv off them.
 *
 * <p>Used by the change feed (which takes its WebSocket sockets over from Vert.x to keep idle
 * subscribers small, see docs/change-feed.md) and by the benchmark client (a timer to the
 * nanosecond).
 */
public final class VertxNetty {
  private VertxNetty() {}

  /** The Netty channel under an HTTP connection; for an upgraded WebSocket, its socket. */
  public static Channel channelOf(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    throw new IllegalStateException("not a Netty connection: " + connection.getClass().getName());
  }

  /**
   * Takes a socket on which Vert.x has just accepted a WebSocket handshake over from Vert.x:
   * {@code handler} goes right after Vert.x's handler (the end of the pipeline, after Netty's
   * WebSocket codec and, with TLS, after the {@code SslHandler}), Vert.x is told that the
   * connection closed, which releases its per-connection state and its connection meters without
   * touching the socket, and its handler leaves the pipeline. From then on every inbound frame
   * and event of the socket reaches {@code handler}, and only it.
   *
   * <p>Must run on the channel's event loop, in the task that completed the handshake, so that no
   * frame can reach Vert.x in between.
   *
   * @throws IllegalStateException off the channel's event loop, or if Vert.x has no handler on the channel
   */
  public static void takeOver(Channel channel, String name, ChannelHandler handler) {
    if (!channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("a socket is taken over on its own event loop, not on "
          + Thread.currentThread().getName());
    }
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext vertx = pipeline.context(VertxHandler.class);
    if (vertx == null) {
      throw new IllegalStateException("no Vert.x handler on the socket: " + pipeline.names());
    }
    pipeline.addAfter(vertx.name(), name, handler);
    ((VertxHandler<?>) vertx.handler()).channelInactive(vertx);
    pipeline.remove(vertx.handler());
  }

  /**
   * Adds {@code handler} to the pipeline of an HTTP connection just before Vert.x's own handler,
   * so it sees what Netty's HTTP codec decoded (request heads, contents) on the way in and what
   * Vert.x writes on the way out. Must run on the channel's event loop (a connection handler does).
   */
  public static void addBeforeVertx(HttpConnection connection, String name, ChannelHandler handler) {
    ChannelPipeline pipeline = channelOf(connection).pipeline();
    ChannelHandlerContext vertx = pipeline.context(VertxHandler.class);
    if (vertx == null) {
      throw new IllegalStateException("no Vert.x handler on the connection: " + pipeline.names());
    }
    pipeline.addBefore(vertx.name(), name, handler);
  }

  /**
   * Whether a Netty user event is Vert.x asking a connection to shut down (its server or Vert.x
   * itself is closing): a taken-over socket should then close itself, or Vert.x cuts it off once
   * its shutdown timeout has passed.
   */
  public static boolean isShutdown(Object userEvent) {
    return userEvent instanceof ShutdownEvent;
  }

  /**
   * Runs {@code task} once after {@code delayNanos}, to the nanosecond where the transport allows
   * it (epoll), on the event loop of {@code context} and with that context current (so the Vert.x
   * calls it makes answer on the same event loop). Vert.x's own timers count in milliseconds.
   * {@code context} must be an event-loop context.
   */
  public static ScheduledFuture<?> schedule(Context context, long delayNanos, Runnable task) {
    ContextInternal internal = (ContextInternal) context;
    return internal.nettyEventLoop().schedule(() -> internal.emit(v -> task.run()),
        Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }
}
