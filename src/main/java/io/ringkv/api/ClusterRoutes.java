package io.ringkv.api;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.HintStatus;
import io.ringkv.cluster.Liveness;
import io.ringkv.cluster.MemberView;
import io.ringkv.cluster.Placement;
import io.ringkv.cluster.ReplicationLag;
import io.ringkv.config.RingkvConfig;
import io.ringkv.ring.Membership;
import io.ringkv.ring.Replication;
import io.ringkv.ring.Ring;
import io.ringkv.ring.RingState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The cluster admin endpoints: this node's view of the ring and of the members. */
public final class ClusterRoutes {
  private static final String PREFERENCE_PREFIX = "/cluster/preference/";

  private final RingkvConfig config;
  private final ClusterState cluster;
  private final Clock clock;
  private final Supplier<HintStatus> hints;
  private final Supplier<List<JsonObject>> moving;

  /**
   * @param hints the hints this node keeps
   * @param moving the copies of the running membership change, with their progress
   */
  public ClusterRoutes(RingkvConfig config, ClusterState cluster, Clock clock, Supplier<HintStatus> hints,
      Supplier<List<JsonObject>> moving) {
    this.config = config;
    this.cluster = cluster;
    this.clock = clock;
    this.hints = hints;
    this.moving = moving;
  }

  public void mount(Router router) {
    router.get("/cluster").handler(rc -> JsonReplies.json(rc, 200, describe()));
    router.get("/cluster/ring").handler(rc -> {
      if (cluster.hasRing()) {
        JsonReplies.json(rc, 200, ringLayout(cluster.ring()).put("moving", new JsonArray(moving.get())));
      } else {
        notReady(rc);
      }
    });
    router.get("/cluster/hints").handler(rc -> JsonReplies.json(rc, 200, hints(hints.get())));
    router.get(PREFERENCE_PREFIX + "*").useNormalizedPath(false).handler(this::preference);
  }

  JsonObject describe() {
    RingState state = cluster.ringState();
    JsonArray nodes = new JsonArray();
    // The status the request path acts on: the failure detector's latest snapshot.
    Liveness liveness = cluster.liveness();
    for (MemberView m : cluster.membership().view(clock.millis())) {
      nodes.add(new JsonObject()
          .put("id", m.info().id())
          .put("host", m.info().host())
          .put("httpPort", m.info().httpPort())
          .put("dc", m.info().dc())
          .put("status", liveness.status(m.info().id()).label())
          .put("membership", membership(state, m.info().id()))
          .put("heartbeat", m.info().heartbeat())
          .put("lastHeardMs", m.lastHeardMs() > 0 ? m.lastHeardMs() : null));
    }
    if (state != null) {
      // Ring members this node has not heard from (yet) are listed too: a member is never hidden.
      List<String> listed = nodes.stream().map(n -> ((JsonObject) n).getString("id")).toList();
      state.members().forEach((id, m) -> {
        if (!listed.contains(id)) {
          nodes.add(new JsonObject().put("id", id).put("host", null).put("httpPort", null).put("dc", null)
              .put("status", liveness.status(id).label()).put("membership", m.label()).put("heartbeat", 0)
              .put("lastHeardMs", null));
        }
      });
    }
    JsonObject view = new JsonObject()
        .put("self", config.id())
        .put("n", config.n())
        .put("r", config.multiDc() ? "local_quorum" : config.r())
        .put("w", config.multiDc() ? "local_quorum" : config.w())
        .put("nodes", nodes)
        .put("ring", state == null ? null : ringSummary(state));
    if (config.multiDc()) {
      view.put("dc", config.dc()).put("dcs", dcSummary(nodes)).put("replicationLagMs", lagSummary());
    }
    return view;
  }

  /** {@code {"dc1": {"n": 3, "nodes": 3, "up": 3}, ...}}: replicas per DC, ring members of it, and how many are up. */
  private JsonObject dcSummary(JsonArray nodes) {
    Replication replication = config.replicationPlan();
    JsonObject dcs = new JsonObject();
    for (String dc : replication.dcs()) {
      int members = 0;
      int up = 0;
      for (Object o : nodes) {
        JsonObject node = (JsonObject) o;
        String membership = node.getString("membership");
        boolean member = "member".equals(membership) || "joining".equals(membership) || "leaving".equals(membership);
        if (dc.equals(node.getString("dc")) && member) {
          members++;
          up += "up".equals(node.getString("status")) ? 1 : 0;
        }
      }
      dcs.put(dc, new JsonObject().put("n", replication.n(dc)).put("nodes", members).put("up", up));
    }
    return dcs;
  }

  /**
   * {@code {"dc2": {"p50", "p99", "pending", "samples", "hinted"}}}: lag of the writes this node's
   * coordinators shipped to each other DC, those in flight, and the hint versions this node keeps
   * for that DC's nodes (writes that DC will get once it is reachable).
   */
  private JsonObject lagSummary() {
    JsonObject lag = new JsonObject();
    RingState state = cluster.ringState();
    Map<String, Long> hinted = hints.get().pending();
    for (String dc : config.replicationPlan().dcs()) {
      if (!dc.equals(config.dc())) {
        ReplicationLag.Summary s = cluster.replicationLag().summary(dc);
        long forDc = state == null ? 0 : hinted.entrySet().stream()
            .filter(e -> dc.equals(state.dcs().get(e.getKey()))).mapToLong(Map.Entry::getValue).sum();
        lag.put(dc, new JsonObject().put("p50", s.p50()).put("p99", s.p99()).put("pending", s.pending())
            .put("samples", s.samples()).put("hinted", forDc));
      }
    }
    return lag;
  }

  private JsonObject ringSummary(RingState state) {
    JsonObject owners = new JsonObject();
    state.ring().ownedCounts().forEach(owners::put);
    long pending = moving.get().stream().filter(m -> !m.getBoolean("done", false))
        .map(m -> m.getInteger("partition")).distinct().count();
    return new JsonObject()
        .put("partitions", state.partitions())
        .put("version", state.version())
        .put("owners", owners)
        .put("pending", pending);
  }

  /** A ring member's state, or {@code waiting} for a node the ring does not hold (yet). */
  private static String membership(RingState state, String id) {
    Membership m = state == null ? null : state.membership(id);
    return m == null ? "waiting" : m.label();
  }

  private static void notReady(RoutingContext rc) {
    JsonReplies.error(rc, ErrorCode.UNAVAILABLE, "this node does not know the ring yet");
  }

  /** Hint versions kept here per target node, their bytes, delivered and dropped since start. */
  static JsonObject hints(HintStatus status) {
    JsonObject pending = new JsonObject();
    status.pending().forEach(pending::put);
    return new JsonObject()
        .put("pending", pending)
        .put("pendingBytes", status.pendingBytes())
        .put("delivered", status.delivered())
        .put("dropped", status.dropped());
  }

  /** Owner of every partition, index = partition: what the demo page draws. */
  static JsonObject ringLayout(Ring ring) {
    return new JsonObject()
        .put("partitions", ring.partitions())
        .put("version", ring.version())
        .put("owners", new JsonArray(Arrays.asList((Object[]) ring.ownersArray())));
  }

  private void preference(RoutingContext rc) {
    byte[] key;
    try {
      key = KeyPath.decode(rc.request().path().substring(PREFERENCE_PREFIX.length()));
    } catch (BadRequestException e) {
      JsonReplies.error(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!cluster.hasRing()) {
      notReady(rc);
      return;
    }
    Placement placement = cluster.placement();
    int partition = placement.partitionOf(key);
    JsonReplies.json(rc, 200, new JsonObject()
        .put("key", new String(key, StandardCharsets.UTF_8))
        .put("partition", partition)
        .put("replicas", new JsonArray(placement.homeReplicas(partition))));
  }
}
