package io.ringkv.feed;

import io.ringkv.node.NodeContext;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
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
  private static final String FLUSH_CONSOLIDATION = "ringkv-feed-flush-consolidation";

  private FeedRoutes() {}

  public static void mount(Vertx vertx, Router router, NodeContext node) {
    FeedHub hub = new FeedHub(vertx, FeedMeters.of(node.metrics()), FeedLimits.DEFAULT_QUEUE_EVENTS);
    router.get("/feed").handler(rc -> upgrade(rc, hub));
  }

  /**
   * Vert.x flushes every WebSocket message on its own, one write syscall per event per subscriber,
   * which is what saturates a node that fans events out to many subscribers. Netty's flush
   * consolidation defers the flush to the end of the current event-loop task, so a subscriber
   * that several events reach in one turn (a node under load) gets them in one syscall, while a
   * lone event still leaves in the same turn. Runs on the connection's event loop.
   */
  private static Channel consolidateFlushes(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return null; // not a Netty-backed connection: events go through the WebSocket API
    }
    if (base.channel().pipeline().get(FLUSH_CONSOLIDATION) == null) {
      base.channel().pipeline().addFirst(FLUSH_CONSOLIDATION,
          new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
    return base.channel();
  }

  private static void upgrade(RoutingContext rc, FeedHub hub) {
    rc.request().toWebSocket()
        .onSuccess(ws -> hub.open(ws, consolidateFlushes(rc.request().connection())))
        .onFailure(err -> {
          if (!rc.response().ended() && !rc.response().headWritten()) {
            rc.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "bad_request")
                    .put("message", "GET /feed is a WebSocket endpoint: send an upgrade request").toBuffer());
          }
        });
  }
}
