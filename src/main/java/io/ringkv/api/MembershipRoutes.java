package io.ringkv.api;

import io.ringkv.messaging.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code POST /cluster/members/{id}/join|leave|remove} (API.md, "Membership changes"): hands the
 * request to this node's membership service and answers what it says: {@code 202} when the change
 * started, {@code 404} for a node the cluster does not know, {@code 409} when it conflicts with the
 * ring or with a change already running, {@code 503} when the members could not agree.
 */
public final class MembershipRoutes {
  private static final String PATH = "/cluster/members/";
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  /** Two rounds of agreement with retries take well under this. */
  private static final long TIMEOUT_MS = 20_000;

  private final String self;

  public MembershipRoutes(String self) {
    this.self = self;
  }

  public void mount(Router router) {
    router.post(PATH + ":id/:op").handler(this::change);
    router.route(PATH + ":id/:op").handler(rc -> {
      rc.response().putHeader("Allow", "POST");
      JsonReplies.error(rc, ErrorCode.METHOD_NOT_ALLOWED, "method " + rc.request().method().name()
          + " is not allowed on " + PATH + "{id}/" + rc.pathParam("op"));
    });
  }

  private void change(RoutingContext rc) {
    String id = rc.pathParam("id");
    String op = rc.pathParam("op");
    if (!op.equals("join") && !op.equals("leave") && !op.equals("remove")) {
      JsonReplies.error(rc, ErrorCode.NOT_FOUND, "no such endpoint: " + rc.request().path()
          + " (use join, leave or remove)");
      return;
    }
    if (!NODE_ID.matcher(id).matches()) {
      JsonReplies.error(rc, ErrorCode.BAD_REQUEST, "'" + id + "' is not a node id");
      return;
    }
    rc.vertx().eventBus().<JsonObject>request(Addresses.membershipChanges(self),
            new JsonObject().put("op", op).put("member", id),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(TIMEOUT_MS))
        .onSuccess(reply -> {
          JsonObject answer = reply.body().copy();
          int status = (Integer) answer.remove("status");
          JsonReplies.json(rc, status, answer);
        })
        .onFailure(err -> JsonReplies.error(rc, ErrorCode.UNAVAILABLE,
            "membership change not answered in time: " + err.getMessage()));
  }
}
