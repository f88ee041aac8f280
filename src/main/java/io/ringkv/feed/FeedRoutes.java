package io.ringkv.feed;

import io.ringkv.node.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Mounts the WebSocket change feed ({@code GET /feed}) on one HTTP verticle instance's router.
 * Called once per instance, on that instance's event loop.
 */
public final class FeedRoutes {
  private FeedRoutes() {}

  public static void mount(Vertx vertx, Router router, NodeContext node) {
    // Filled in by the change-feed work.
  }
}
