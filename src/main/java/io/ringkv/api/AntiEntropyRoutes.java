package io.ringkv.api;

import io.ringkv.messaging.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /cluster/antientropy}, {@code POST /cluster/antientropy/run} (API.md) and
 * {@code GET /cluster/antientropy/nodes} (every member's last pass, for the demo page): asks this
 * node's anti-entropy service and answers what it says.
 */
public final class AntiEntropyRoutes {
  private static final String PATH = "/cluster/antientropy";
  private static final long TIMEOUT_MS = 5_000;

  private final String self;

  public AntiEntropyRoutes(String self) {
    this.self = self;
  }

  public void mount(Router router) {
    router.get(PATH).handler(rc -> ask(rc, "status"));
    router.post(PATH + "/run").handler(rc -> ask(rc, "run"));
    router.get(PATH + "/nodes").handler(rc -> ask(rc, "nodes"));
    router.route(PATH).handler(rc -> notAllowed(rc, "GET"));
    router.route(PATH + "/run").handler(rc -> notAllowed(rc, "POST"));
    router.route(PATH + "/nodes").handler(rc -> notAllowed(rc, "GET"));
  }

  private void ask(RoutingContext rc, String op) {
    rc.vertx().eventBus().<JsonObject>request(Addresses.antiEntropyControl(self), new JsonObject().put("op", op),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(TIMEOUT_MS))
        .onSuccess(reply -> {
          JsonObject answer = reply.body();
          Object status = answer.getValue("status");
          if (status instanceof Integer code) {
            answer = answer.copy();
            answer.remove("status");
            JsonReplies.json(rc, code, answer);
          } else {
            JsonReplies.json(rc, 200, answer);
          }
        })
        .onFailure(err -> JsonReplies.error(rc, ErrorCode.UNAVAILABLE,
            "the anti-entropy service of " + self + " did not answer: " + err.getMessage()));
  }

  private static void notAllowed(RoutingContext rc, String allow) {
    rc.response().putHeader("Allow", allow);
    JsonReplies.error(rc, ErrorCode.METHOD_NOT_ALLOWED, "method " + rc.request().method().name() + " is not allowed on "
        + rc.request().path());
  }
}
