package io.ringkv.api;

import io.ringkv.cluster.FaultInjection;
import io.ringkv.cluster.FaultPlan;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /cluster/faults} (API.md, "Fault injection"): read, replace and heal the faults this node
 * injects into its node-to-node traffic. Without {@code --fault-injection true} every method
 * answers 404, as if the endpoint did not exist.
 */
public final class FaultRoutes {
  private static final String PATH = "/cluster/faults";
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Set<String> FIELDS = Set.of("drop", "dropInbound", "delayMs");

  private final FaultInjection faults;

  public FaultRoutes(FaultInjection faults) {
    this.faults = faults;
  }

  public void mount(Router router) {
    router.route(PATH).handler(rc -> {
      if (!faults.enabled()) {
        JsonReplies.error(rc, ErrorCode.NOT_FOUND, "no such endpoint: " + PATH
            + " (fault injection is off: start the node with --fault-injection true)");
      } else {
        rc.next();
      }
    });
    router.get(PATH).handler(rc -> JsonReplies.json(rc, 200, describe(faults.plan())));
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::replace);
    router.delete(PATH).handler(rc -> {
      faults.heal();
      rc.response().setStatusCode(204).end();
    });
    router.route(PATH).handler(rc -> {
      rc.response().putHeader("Allow", "GET, POST, DELETE");
      JsonReplies.error(rc, ErrorCode.METHOD_NOT_ALLOWED, "method " + rc.request().method().name()
          + " is not allowed on " + PATH);
    });
  }

  private void replace(RoutingContext rc) {
    FaultPlan plan;
    try {
      plan = parse(rc.body().buffer() == null ? "" : rc.body().asString());
    } catch (BadRequestException e) {
      JsonReplies.error(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    faults.apply(plan);
    JsonReplies.json(rc, 200, describe(plan));
  }

  static FaultPlan parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new BadRequestException("the body must be a JSON object with drop, dropInbound and/or delayMs");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new BadRequestException("unknown field '" + field + "': expected drop, dropInbound, delayMs");
      }
    }
    Map<String, Long> delays = new HashMap<>();
    Object delayField = json.getValue("delayMs");
    if (delayField != null) {
      if (!(delayField instanceof JsonObject delayJson)) {
        throw new BadRequestException("delayMs must be an object of node id to milliseconds");
      }
      for (String node : delayJson.fieldNames()) {
        Object ms = delayJson.getValue(node);
        if (!(ms instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0
            || n.longValue() > FaultPlan.MAX_DELAY_MS) {
          throw new BadRequestException("delayMs." + node + " must be an integer 0.." + FaultPlan.MAX_DELAY_MS);
        }
        delays.put(nodeId(node), n.longValue());
      }
    }
    return new FaultPlan(nodes(json, "drop"), nodes(json, "dropInbound"), delays);
  }

  private static Set<String> nodes(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new BadRequestException(field + " must be an array of node ids");
    }
    Set<String> ids = new HashSet<>();
    for (Object id : array) {
      if (!(id instanceof String s)) {
        throw new BadRequestException(field + " must be an array of node ids");
      }
      ids.add(nodeId(s));
    }
    return ids;
  }

  private static String nodeId(String id) {
    if (!NODE_ID.matcher(id).matches()) {
      throw new BadRequestException("'" + id + "' is not a node id");
    }
    return id;
  }

  static JsonObject describe(FaultPlan plan) {
    JsonObject delays = new JsonObject();
    plan.delayMs().forEach(delays::put);
    return new JsonObject()
        .put("drop", new JsonArray(plan.drop().stream().sorted().toList()))
        .put("dropInbound", new JsonArray(plan.dropInbound().stream().sorted().toList()))
        .put("delayMs", delays);
  }
}
