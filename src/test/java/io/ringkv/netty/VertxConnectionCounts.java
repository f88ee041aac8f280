package io.ringkv.netty;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections and WebSockets that Vert.x's HTTP servers count as open, through Vert.x's
 * metrics SPI: what its meters (and its per-connection state) see. Install with
 * {@code Vertx.builder().with(options with metrics enabled).withMetrics(counts)}.
 */
final class VertxConnectionCounts implements VertxMetricsFactory {
  final AtomicInteger sockets = new AtomicInteger();
  final AtomicInteger webSockets = new AtomicInteger();
  /** Any count that went below zero: Vert.x released something twice. */
  final AtomicInteger negative = new AtomicInteger();

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new VertxMetrics() {
      @Override
      public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions server, SocketAddress address) {
        return new Counting();
      }
    };
  }

  private void down(AtomicInteger count) {
    if (count.decrementAndGet() < 0) {
      negative.incrementAndGet();
    }
  }

  private final class Counting implements HttpServerMetrics<Object, Object, Object> {
    @Override
    public Object connected(SocketAddress remote, String name) {
      sockets.incrementAndGet();
      return remote;
    }

    @Override
    public void disconnected(Object socket, SocketAddress remote) {
      down(sockets);
    }

    @Override
    public Object connected(Object socket, Object request, ServerWebSocket ws) {
      webSockets.incrementAndGet();
      return ws;
    }

    @Override
    public void disconnected(Object webSocket) {
      down(webSockets);
    }
  }
}
