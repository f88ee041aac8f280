package io.ringkv.feed;

import io.ringkv.messaging.Addresses;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.netty.VertxNetty;
import io.ringkv.security.Authenticator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Mounts the WebSocket change feed ({@code GET /feed}) on one HTTP verticle instance's router.
 * Called once per instance, on that instance's event loop; each instance has its own
 * {@link FeedHub}, so a connection's state stays on the event loop that accepted it.
 */
public final class FeedRoutes {
  private FeedRoutes() {}

  /**
   * @param eventsAddress where this node's events arrive ({@code Addresses.feedEvents})
   * @param auth the node's tokens: an upgrade request without an Authorization header (the HTTP
   *     layer has checked any header it carries) must authenticate with its first message
   * @param authTimeoutMs how long such a connection may take to send it
   */
  public static void mount(Vertx vertx, Router router, StoreMetrics metrics, String eventsAddress, Authenticator auth,
      long authTimeoutMs) {
    mount(vertx, router, FeedMeters.of(metrics), eventsAddress, auth, authTimeoutMs);
  }

  /** With the meters given: tests mount the feed on an HTTP server of their own (TLS, for one). */
  static void mount(Vertx vertx, Router router, FeedMeters meters) {
    mount(vertx, router, meters, Addresses.FEED_EVENTS, Authenticator.disabled(), 0);
  }

  static void mount(Vertx vertx, Router router, FeedMeters meters, String eventsAddress, Authenticator auth,
      long authTimeoutMs) {
    FeedHub hub = new FeedHub(vertx, meters, FeedLimits.DEFAULT_QUEUE_EVENTS, eventsAddress);
    router.get("/feed").handler(rc -> upgrade(rc, hub, auth, authTimeoutMs));
  }

  private static void upgrade(RoutingContext rc, FeedHub hub, Authenticator auth, long authTimeoutMs) {
    boolean firstFrameAuth = auth.enabled() && rc.request().getHeader(HttpHeaders.AUTHORIZATION) == null;
    rc.request().toWebSocket()
        .onSuccess(ws -> hub.open(VertxNetty.channelOf(rc.request().connection()),
            firstFrameAuth ? auth : null, authTimeoutMs))
        .onFailure(err -> {
          if (!rc.response().ended() && !rc.response().headWritten()) {
            rc.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "bad_request")
                    .put("message", "GET /feed is a WebSocket endpoint: send an upgrade request").toBuffer());
          }
        });
  }
}
