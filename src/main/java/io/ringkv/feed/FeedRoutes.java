package io.ringkv.feed;

import io.ringkv.metrics.StoreMetrics;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Mounts the WebSocket change feed ({@code GET /feed}) on one HTTP verticle instance's router.
 * Called once per instance, on that instance's event loop; each instance has its own
 * {@link FeedHub}, so a connection's state stays on the event loop that accepted it.
 */
public final class FeedRoutes {
  private FeedRoutes() {}

  public static void mount(Vertx vertx, Router router, StoreMetrics metrics) {
    FeedHub hub = new FeedHub(vertx, FeedMeters.of(metrics), FeedLimits.DEFAULT_QUEUE_EVENTS);
    router.get("/feed").handler(rc -> upgrade(rc, hub));
  }

  /** The Netty channel under a WebSocket upgrade: the feed writes its frames to it directly. */
  private static Channel channelOf(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    throw new IllegalStateException("feed socket is not a Netty connection: " + connection.getClass().getName());
  }

  private static void upgrade(RoutingContext rc, FeedHub hub) {
    rc.request().toWebSocket()
        .onSuccess(ws -> hub.open(channelOf(rc.request().connection())))
        .onFailure(err -> {
          if (!rc.response().ended() && !rc.response().headWritten()) {
            rc.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "bad_request")
                    .put("message", "GET /feed is a WebSocket endpoint: send an upgrade request").toBuffer());
          }
        });
  }
}
