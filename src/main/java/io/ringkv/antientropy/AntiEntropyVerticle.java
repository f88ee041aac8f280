package io.ringkv.antientropy;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.config.RingkvConfig;
import io.ringkv.merkle.PartitionTrees;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.ring.RingState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anti-entropy on {@code ringkv.ae.<node>} (DESIGN.md; docs/anti-entropy.md): answers other
 * replicas' exchanges, keeps a Merkle tree for every partition this node replicates
 * ({@link TreeKeeper}), runs a full pass every {@code anti-entropy-interval-ms} or when asked
 * ({@link PassRunner}, throttled by {@link AeChannel}), and garbage-collects tombstones every home
 * holds ({@link Reaper}). Its HTTP API talks to it on the local {@code ringkv.ae-control.<node>}.
 */
public final class AntiEntropyVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AntiEntropyVerticle.class.getName());
  static final long TICK_MS = 1_000;
  static final long SUMMARY_TIMEOUT_MS = 2_000;
  /** A peer's hold on a partition lapses this long after the initiator's last message. */
  static final long LEASE_PEER_MS = 2_000;
  /** An initiator's own hold, released when its exchange ends (this is only a safety net). */
  static final long LEASE_INITIATOR_MS = 600_000;

  private final RingkvConfig config;
  private final ClusterState cluster;
  private final AntiEntropyReplica replica;
  private final Clock clock;
  private final StoreMetrics metrics;
  private final AeStats stats = new AeStats();
  private TreeKeeper keeper;
  private PassRunner runner;
  private long nextPassAtMs;
  private boolean passing; // a pass runs, or waits for the trees it needs

  public AntiEntropyVerticle(RingkvConfig config, ClusterState cluster, AntiEntropyReplica replica, Clock clock,
      StoreMetrics metrics) {
    this.config = config;
    this.cluster = cluster;
    this.replica = replica;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    String self = config.id();
    ByteBudget budget = new ByteBudget(config.antiEntropyBytesPerSecond(), clock.millis());
    AeChannel channel = new AeChannel(self, vertx, clock, config.requestTimeoutMs(), budget);
    PartitionLeases leases = new PartitionLeases(self, LEASE_PEER_MS, LEASE_INITIATOR_MS);
    Reaper reaper = new Reaper(replica, channel, stats, context, clock, config.tombstoneGraceMs());
    runner = new PassRunner(self, config.n(), cluster, replica, channel, stats, reaper, context, clock,
        config.antiEntropyExchanges(), leases);
    keeper = new TreeKeeper(self, config.n(), cluster, replica, context, clock);
    Responder responder = new Responder(self, replica, stats, context, budget, clock, leases);
    registerMeters();
    nextPassAtMs = clock.millis() + config.antiEntropyIntervalMs();
    keeper.tick();
    vertx.setPeriodic(TICK_MS, id -> tick());
    return Future.all(
        vertx.eventBus().consumer(Addresses.antiEntropy(self), (Message<Object> m) -> {
          if (m.body() instanceof JsonObject) {
            m.reply(stats.summary());
          } else {
            responder.handle(m);
          }
        }).completion(),
        vertx.eventBus().localConsumer(Addresses.antiEntropyControl(self), this::control).completion());
  }

  private void tick() {
    keeper.tick();
    long interval = config.antiEntropyIntervalMs();
    if (interval > 0 && !passing && clock.millis() >= nextPassAtMs && !keeper.busy()) {
      startPass();
    }
  }

  /** Starts a pass unless one runs; the next scheduled one comes an interval after it ends. */
  private boolean startPass() {
    if (passing) {
      return false;
    }
    passing = true;
    whenTreesBuilt().compose(v -> runner.run()).onComplete(r -> {
      passing = false;
      nextPassAtMs = clock.millis() + config.antiEntropyIntervalMs();
      if (r.failed()) {
        LOG.log(Level.WARNING, "anti-entropy pass of " + config.id() + " failed", r.cause());
      }
    });
    return true;
  }

  /** A pass right after start (or after a ring change) waits until the trees it compares are built. */
  private Future<Void> whenTreesBuilt() {
    return keeper.busy() ? vertx.timer(TICK_MS / 5).compose(v -> whenTreesBuilt()) : Future.succeededFuture();
  }

  /** {@code {"op": "status" | "run" | "nodes"}} from this node's HTTP API. */
  private void control(Message<JsonObject> message) {
    String op = message.body().getString("op", "");
    switch (op) {
      case "status" -> message.reply(stats.toJson(replica.trees(), runner.homePartitions(), passing)
          .put("trees", trees()).put("tombstones", new JsonObject().put("graceMs", config.tombstoneGraceMs())
              .put("pending", pendingTombstones())));
      case "run" -> message.reply(startPass()
          ? new JsonObject().put("status", 202).put("message", "anti-entropy pass started")
          : new JsonObject().put("status", 409).put("error", "conflict")
              .put("message", "an anti-entropy pass is already running"));
      case "nodes" -> nodes().onComplete((nodes, err) -> message.reply(new JsonObject().put("nodes", nodes)));
      default -> message.fail(400, "unknown anti-entropy operation '" + op + "'");
    }
  }

  /** Every ring member's summary (last pass, keys repaired), for the demo page; unreachable ones say so. */
  private Future<JsonArray> nodes() {
    RingState ring = cluster.ringState();
    TreeSet<String> members = new TreeSet<>(ring == null ? List.of() : ring.members().keySet());
    members.add(config.id());
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String member : members) {
      Future<JsonObject> summary;
      if (member.equals(config.id())) {
        summary = Future.succeededFuture(stats.summary());
      } else if (cluster.liveness().status(member) == MemberStatus.DOWN) {
        summary = Future.succeededFuture(new JsonObject().put("error", "down"));
      } else {
        summary = vertx.eventBus().<JsonObject>request(Addresses.antiEntropy(member), new JsonObject(),
                new DeliveryOptions().setSendTimeout(SUMMARY_TIMEOUT_MS))
            .map(Message::body)
            .otherwise(err -> new JsonObject().put("error", "no answer"));
      }
      answers.add(summary.map(s -> s.copy().put("id", member)));
    }
    return Future.join(answers).map(all -> {
      JsonArray out = new JsonArray();
      answers.forEach(a -> out.add(a.result()));
      return out;
    });
  }

  private JsonObject trees() {
    PartitionTrees trees = replica.trees();
    return new JsonObject().put("fanout", trees.shape().fanout()).put("depth", trees.shape().depth())
        .put("leaves", trees.shape().leaves()).put("bytesPerPartition", trees.shape().bytesPerTree())
        .put("bytes", trees.memoryBytes()).put("ready", trees.count(PartitionTrees.State.READY))
        .put("building", runner.homePartitions().stream()
            .filter(p -> trees.state(p) != PartitionTrees.State.READY).count());
  }

  private long pendingTombstones() {
    PartitionTrees trees = replica.trees();
    long sum = 0;
    for (int p = 0; p < trees.partitions(); p++) {
      sum += trees.tombstoneKeys(p);
    }
    return sum;
  }

  private void registerMeters() {
    metrics.functionCounter("ringkv.antientropy.keys.repaired",
        "Keys anti-entropy sent to a peer replica or changed here", stats, AeStats::keysRepaired);
    metrics.functionCounter("ringkv.antientropy.bytes", "Bytes of anti-entropy exchanges, both ways", stats,
        AeStats::bytesExchanged);
    metrics.functionCounter("ringkv.antientropy.passes", "Anti-entropy passes finished", stats, AeStats::passes);
    metrics.functionCounter("ringkv.antientropy.tombstones.removed",
        "Tombstones removed once every home replica held them and the grace period had passed", stats,
        AeStats::tombstonesRemoved);
    PartitionTrees trees = replica.trees();
    metrics.gauge("ringkv.antientropy.tree.bytes", "Heap held by this node's Merkle trees", trees::memoryBytes);
  }
}
