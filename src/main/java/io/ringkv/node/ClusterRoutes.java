package io.ringkv.node;

import io.ringkv.api.BadRequestException;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.KeyPath;
import io.ringkv.gossip.MemberView;
import io.ringkv.ring.Ring;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/** The cluster admin endpoints: this node's view of the ring and of the members. */
public final class ClusterRoutes {
  private static final String PREFERENCE_PREFIX = "/cluster/preference/";

  private ClusterRoutes() {}

  public static void mount(Router router, NodeContext node) {
    router.get("/cluster").handler(rc -> json(rc, 200, describe(node)));
    router.get("/cluster/ring").handler(rc -> json(rc, 200, ringLayout(node.ring())));
    router.get(PREFERENCE_PREFIX + "*").useNormalizedPath(false).handler(rc -> preference(rc, node));
  }

  static JsonObject describe(NodeContext node) {
    Ring ring = node.ring();
    JsonObject owners = new JsonObject();
    ring.ownedCounts().forEach(owners::put);
    JsonArray nodes = new JsonArray();
    for (MemberView m : node.membership().view(node.clock().millis())) {
      nodes.add(new JsonObject()
          .put("id", m.info().id())
          .put("host", m.info().host())
          .put("httpPort", m.info().httpPort())
          .put("dc", m.info().dc())
          .put("status", m.status().label())
          .put("heartbeat", m.info().heartbeat())
          .put("lastHeardMs", m.lastHeardMs() > 0 ? m.lastHeardMs() : null));
    }
    return new JsonObject()
        .put("self", node.nodeId())
        .put("n", node.config().n())
        .put("r", node.config().r())
        .put("w", node.config().w())
        .put("nodes", nodes)
        .put("ring", new JsonObject()
            .put("partitions", ring.partitions())
            .put("version", ring.version())
            .put("owners", owners));
  }

  /** Owner of every partition, index = partition: what the demo page draws. */
  static JsonObject ringLayout(Ring ring) {
    return new JsonObject()
        .put("partitions", ring.partitions())
        .put("version", ring.version())
        .put("owners", new JsonArray(java.util.Arrays.asList((Object[]) ring.ownersArray())));
  }

  private static void preference(RoutingContext rc, NodeContext node) {
    String path = rc.request().path();
    byte[] key;
    try {
      key = KeyPath.decode(path.substring(PREFERENCE_PREFIX.length()));
    } catch (BadRequestException e) {
      json(rc, ErrorCode.BAD_REQUEST.status(),
          new JsonObject().put("error", ErrorCode.BAD_REQUEST.code()).put("message", e.getMessage()));
      return;
    }
    Ring ring = node.ring();
    int partition = ring.partitionOf(key);
    json(rc, 200, new JsonObject()
        .put("key", new String(key, StandardCharsets.UTF_8))
        .put("partition", partition)
        .put("replicas", new JsonArray(ring.preferenceList(partition, node.config().n()))));
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
