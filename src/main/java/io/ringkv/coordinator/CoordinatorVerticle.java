package io.ringkv.coordinator;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.Consistency;
import io.ringkv.cluster.Placement;
import io.ringkv.cluster.ReplicaPlan;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.KvRequest;
import io.ringkv.messaging.KvResponse;
import io.ringkv.messaging.LocalCoordinators;
import io.ringkv.messaging.RelayBatch;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.messaging.ReplicaService;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.version.ConflictMode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Coordinates client operations for any key: plans where the request goes (the live home
 * replicas, fallbacks for the down ones: {@link Placement#plan}), fans out in parallel over the
 * event bus, answers as soon as R reads or W writes counted (never waiting for the slowest), and
 * repairs stale replicas in the background once every answer is in.
 *
 * <p>Writes are coordinated by a live home replica (Riak's rule): it creates the new version with
 * its own dot in one atomic read-modify-write, then replicates the resulting sibling set
 * ({@link WritePath}). A node that is not a live home of the key forwards the write to one that is.
 * A fallback never creates a version, so its hints never break the dotted-version-vector rules.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(CoordinatorVerticle.class.getName());
  /** Marks a write another coordinator forwarded: it is coordinated here or refused, never forwarded again. */
  static final String FORWARDED = "ringkv-forwarded";

  private final RingkvConfig config;
  private final String nodeId;
  private final ConflictMode conflictMode;
  private final ClusterState cluster;
  private final ReplicaService local;
  private final ChangeListener changes;
  private final StoreMetrics metrics;
  private final Clock clock;
  private final LocalCoordinators coordinators;
  private ReplicaCalls replicas;
  private RequestTimers timers;
  private WritePath writes;
  /** With replicas per DC ({@code --replication}); null otherwise. */
  private DcWritePath dcWrites;
  private DcReadPath dcReads;
  /** Writes of a few ms leave for another DC together: more batching, a little more lag. */
  static final long RELAY_BATCH_MS = 5;

  public CoordinatorVerticle(RingkvConfig config, ClusterState cluster, ReplicaService local, ChangeListener changes,
      StoreMetrics metrics, Clock clock, LocalCoordinators coordinators) {
    this.config = config;
    this.nodeId = config.id();
    this.conflictMode = ConflictMode.parse(config.conflicts());
    this.cluster = cluster;
    this.local = local;
    this.changes = changes;
    this.metrics = metrics;
    this.clock = clock;
    this.coordinators = coordinators;
  }

  @Override
  public Future<?> start() {
    ReplicaOutbox outbox = new ReplicaOutbox(vertx.eventBus(), context,
        metrics.counter("ringkv.replica.batches", "Replica request batches sent to other nodes"),
        metrics.counter("ringkv.replica.batched.requests", "Replica requests sent inside batches"));
    replicas = new ReplicaCalls(nodeId, local, outbox, context, config.hintedHandoff(),
        metrics.counter("ringkv.hints.kept.locally", "Hints the coordinator kept itself (no fallback, or a replica"
            + " that did not acknowledge)"));
    timers = new RequestTimers(vertx);
    writes = new WritePath(config, conflictMode, replicas, timers, changes, metrics,
        metrics.counter("ringkv.sloppy.fallback.writes", "Writes sent to a fallback for a down home replica"));
    // The node-wide address (forwarded writes from other nodes) and a local one for HTTP instances
    // on this same event loop, whose requests then never wake another thread.
    String sameLoop = Addresses.coordinatorOnLoop(nodeId, deploymentID() + "." + context.hashCode());
    Future<Void> shared = vertx.eventBus().<KvRequest>consumer(Addresses.coordinator(nodeId), this::handle)
        .completion();
    Future<Void> onLoop = vertx.eventBus().<KvRequest>localConsumer(sameLoop, this::handle).completion();
    Future<Void> relays = Future.succeededFuture();
    if (config.multiDc()) {
      DcRelay relay = new DcRelay(vertx, nodeId, config.dc(), cluster, replicas, RELAY_BATCH_MS,
          config.requestTimeoutMs(), Math.abs((nodeId + deploymentID() + context.hashCode()).hashCode()), metrics);
      dcWrites = new DcWritePath(config, conflictMode, replicas, timers, relay, changes, metrics);
      dcReads = new DcReadPath(config, conflictMode, cluster, replicas, timers, changes, metrics);
      relays = vertx.eventBus().<RelayBatch>consumer(Addresses.relay(nodeId), msg -> {
        if (!cluster.hasRing()) {
          msg.fail(503, "node " + nodeId + " has no ring yet");
          return;
        }
        dcReads.relayed(msg.body()).onComplete((reply, err) -> {
          if (err != null) {
            msg.fail(500, err.getMessage());
          } else {
            msg.reply(reply);
          }
        });
      }).completion();
    }
    return Future.all(shared, onLoop, relays).onSuccess(v -> coordinators.registerOnThisThread(sameLoop));
  }

  private void handle(Message<KvRequest> message) {
    KvRequest request = message.body();
    boolean forwarded = message.headers().contains(FORWARDED);
    Future<KvResponse> result;
    if (!cluster.hasRing()) {
      message.reply(failure(KvResponse.Outcome.UNAVAILABLE, 0, 0,
          "node " + nodeId + " is not ready: it has not learned the cluster's ring yet"));
      return;
    }
    try {
      result = switch (request.op()) {
        case GET -> read(request);
        case PUT -> write(request, forwarded);
        case DELETE -> delete(request, forwarded);
      };
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete((response, err) -> {
      if (err != null) {
        LOG.log(Level.WARNING, "coordinator " + nodeId + " failed " + request.op(), err);
        response = failure(KvResponse.Outcome.INTERNAL, 0, 0, "internal error");
      }
      message.reply(response);
    });
  }

  // ---------------------------------------------------------------- reads

  /**
   * Reads the live home replicas and, when sloppy, the fallbacks of the down ones (they may hold
   * hints written during the outage), and answers at R.
   */
  private Future<KvResponse> read(KvRequest request) {
    if (dcReads != null) {
      return dcReads.read(request);
    }
    Placement placement = cluster.placement();
    int partition = placement.partitionOf(request.key());
    ReplicaPlan plan = placement.plan(partition, cluster.liveness(), request.sloppy() && config.hintedHandoff());
    List<ReplicaPlan.Target> targets = plan.targets();
    ReadRound round = new ReadRound(targets.stream().map(ReplicaPlan.Target::node).toList(), request.r(),
        conflictMode);
    long started = System.nanoTime();
    Promise<KvResponse> answer = Promise.promise();
    Deadlines.Entry timer = timers.schedule(request.timeoutMs(), () -> answer.tryComplete(failure(
        KvResponse.Outcome.TIMEOUT, request.r(), round.tracker.successes(),
        "read timed out after " + request.timeoutMs() + " ms")));
    for (ReplicaPlan.Target target : targets) {
      ReplicaRequest read = target.isFallback()
          ? ReplicaRequest.readHinted(partition, request.key(), target.hintFor())
          : ReplicaRequest.read(partition, request.key());
      replicas.ask(target.node(), read, request.timeoutMs()).onComplete((reply, err) -> {
        QuorumTracker.Outcome outcome = err == null
            ? round.success(target.node(), reply.siblings())
            : round.failure(target.node());
        if (outcome == QuorumTracker.Outcome.REACHED && answer.tryComplete(KvResponse.ok(round.merged, null, nodeId))) {
          metrics.quorumLatency("get", System.nanoTime() - started);
        } else if (outcome == QuorumTracker.Outcome.FAILED && round.tracker.allAnswered()) {
          answer.tryComplete(failure(KvResponse.Outcome.UNAVAILABLE, request.r(), round.tracker.successes(),
              "only " + round.tracker.successes() + " of the " + request.r() + " required replicas answered"
                  + downNote(plan)));
        }
        if (round.tracker.allAnswered()) {
          timer.cancel();
          repair(plan, request.key(), round);
        }
      });
    }
    if (targets.isEmpty()) {
      answer.tryComplete(failure(KvResponse.Outcome.UNAVAILABLE, request.r(), 0,
          "no replica of this key is up" + downNote(plan)));
      timer.cancel();
    }
    return answer.future();
  }

  /** Read repair: every live home replica that answered with less than the reconciled set gets it. */
  private void repair(ReplicaPlan plan, byte[] key, ReadRound round) {
    if (round.revealsConflict()) {
      changes.written(key, round.merged, nodeId);
    }
    List<String> homes = plan.liveHomes();
    for (String stale : round.staleReplicas()) {
      if (!homes.contains(stale)) {
        continue; // a fallback's hint goes home by handoff, not by repair
      }
      replicas.ask(stale, ReplicaRequest.merge(plan.partition(), key, round.merged), config.requestTimeoutMs())
          .onComplete((ok, err) -> {
            if (err == null) {
              metrics.readRepair();
            } else {
              metrics.readRepairFailed();
            }
          });
    }
  }

  // ---------------------------------------------------------------- writes

  private Future<KvResponse> delete(KvRequest request, boolean forwarded) {
    if (request.context() != null) {
      return write(request, forwarded);
    }
    // A plain DELETE deletes what a quorum read sees, as users expect.
    KvRequest readFirst = new KvRequest(KvRequest.Op.GET, request.key(), null, null, null,
        dcReads != null ? Consistency.LOCAL_QUORUM : config.r(), request.w(), request.timeoutMs(),
        request.sloppy(), false);
    return read(readFirst).compose(found -> {
      if (found.outcome() != KvResponse.Outcome.OK) {
        return Future.succeededFuture(found);
      }
      if (!found.siblings().hasLiveValue()) {
        return Future.succeededFuture(KvResponse.ok(found.siblings(), null, nodeId));
      }
      return write(new KvRequest(KvRequest.Op.DELETE, request.key(), null, null, found.siblings().context(),
          request.r(), request.w(), request.timeoutMs(), request.sloppy(), request.returnBody()), forwarded);
    });
  }

  private Future<KvResponse> write(KvRequest request, boolean forwarded) {
    Placement placement = cluster.placement();
    int partition = placement.partitionOf(request.key());
    ReplicaPlan plan = placement.plan(partition, cluster.liveness(), config.hintedHandoff());
    List<String> homes = plan.liveHomes();
    if (dcWrites != null) {
      homes = DcWritePath.forwardOrder(placement, plan, config.dc());
      boolean localHome = homes.contains(nodeId) && config.dc().equals(placement.dcOf(nodeId));
      if (localHome || forwarded && homes.contains(nodeId)) {
        return dcWrites.coordinate(request, placement, plan, clock.millis());
      }
    } else if (homes.contains(nodeId)) {
      return writes.coordinate(request, plan, clock.millis());
    }
    if (forwarded) {
      return failed(KvResponse.Outcome.UNAVAILABLE, request.w(), 0,
          "this node received a forwarded write but is not a home replica of the key in its view of the ring");
    }
    return forward(request, plan, homes, 0);
  }

  /**
   * This node is not a live home replica of the key: hand the write to one that is. Only a message
   * that was certainly not delivered (no handler) moves on to the next, so a write is never
   * applied twice; a home that does not answer in time makes this a timeout.
   */
  private Future<KvResponse> forward(KvRequest request, ReplicaPlan plan, List<String> homes, int index) {
    if (index >= homes.size()) {
      return failed(KvResponse.Outcome.UNAVAILABLE, request.w(), 0,
          "no home replica of this key is reachable" + downNote(plan));
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(request.timeoutMs()).addHeader(FORWARDED, "1");
    return vertx.eventBus().<KvResponse>request(Addresses.coordinator(homes.get(index)), request, options)
        .map(Message::body)
        .recover(err -> {
          if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            return forward(request, plan, homes, index + 1);
          }
          return failed(KvResponse.Outcome.TIMEOUT, request.w(), 0,
              "the coordinating replica did not answer in time; the write may still appear");
        });
  }

  private static String downNote(ReplicaPlan plan) {
    List<String> down = plan.homes().stream().filter(h -> !plan.liveHomes().contains(h)).toList();
    return down.isEmpty() ? "" : " (home replicas down: " + String.join(", ", down) + ")";
  }

  /** A refusal answered by this coordinator: {@code required} replicas were needed, {@code acknowledged} answered. */
  private KvResponse failure(KvResponse.Outcome outcome, int required, int acknowledged, String message) {
    return KvResponse.failure(outcome, required, acknowledged, message, nodeId);
  }

  private Future<KvResponse> failed(KvResponse.Outcome outcome, int required, int acknowledged, String message) {
    return Future.succeededFuture(failure(outcome, required, acknowledged, message));
  }
}
