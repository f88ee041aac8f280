package io.ringkv.coordinator;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.Placement;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.KvRequest;
import io.ringkv.messaging.KvResponse;
import io.ringkv.messaging.LocalCoordinators;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.messaging.ReplicaService;
import io.ringkv.messaging.TooManySiblingsException;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Coordinates client operations for any key: finds the preference list, fans out to the replicas
 * in parallel over the event bus, answers as soon as R reads or W writes succeeded (never waiting
 * for the slowest), and repairs stale replicas in the background once every answer is in.
 *
 * <p>Writes are coordinated by a home replica (Riak's rule): the coordinating replica creates the
 * new version with its own dot in one atomic read-modify-write, then replicates the resulting
 * sibling set (with synced writes, while its own copy is being synced). A node outside the preference list forwards the write to one that is in it.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(CoordinatorVerticle.class.getName());

  private final RingkvConfig config;
  private final String nodeId;
  private final ConflictMode conflictMode;
  private final ClusterState cluster;
  private final ReplicaService local;
  private final ChangeListener changes;
  private final StoreMetrics metrics;
  private final Clock clock;
  private final LocalCoordinators coordinators;
  private ReplicaOutbox outbox;

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
    outbox = new ReplicaOutbox(vertx.eventBus(), context,
        metrics.counter("ringkv.replica.batches", "Replica request batches sent to other nodes"),
        metrics.counter("ringkv.replica.batched.requests", "Replica requests sent inside batches"));
    // The node-wide address (forwarded writes from other nodes) and a local one for HTTP instances
    // on this same event loop, whose requests then never wake another thread.
    String sameLoop = Addresses.coordinator(nodeId) + ".loop." + deploymentID() + "." + context.hashCode();
    Future<Void> shared = vertx.eventBus().<KvRequest>consumer(Addresses.coordinator(nodeId), this::handle)
        .completion();
    Future<Void> local = vertx.eventBus().<KvRequest>localConsumer(sameLoop, this::handle).completion();
    return Future.all(shared, local).onSuccess(v -> coordinators.registerOnThisThread(sameLoop));
  }

  private void handle(Message<KvRequest> message) {
    KvRequest request = message.body();
    Future<KvResponse> result;
    try {
      result = switch (request.op()) {
        case GET -> read(request);
        case PUT -> write(request);
        case DELETE -> delete(request);
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

  private Future<KvResponse> read(KvRequest request) {
    Placement placement = cluster.placement();
    int partition = placement.partitionOf(request.key());
    List<String> replicas = placement.homeReplicas(partition);
    ReadRound round = new ReadRound(replicas, request.r(), conflictMode);
    long started = System.nanoTime();
    Promise<KvResponse> answer = Promise.promise();
    long timer = vertx.setTimer(request.timeoutMs(), id -> answer.tryComplete(failure(KvResponse.Outcome.TIMEOUT,
        request.r(), round.tracker.successes(), "read timed out after " + request.timeoutMs() + " ms")));
    ReplicaRequest read = ReplicaRequest.read(partition, request.key());
    for (String replica : replicas) {
      ask(replica, read, request.timeoutMs()).onComplete((reply, err) -> {
        QuorumTracker.Outcome outcome = err == null
            ? round.success(replica, reply.siblings())
            : round.failure(replica);
        if (outcome == QuorumTracker.Outcome.REACHED && answer.tryComplete(KvResponse.ok(round.merged, null, nodeId))) {
          metrics.quorumLatency("get", System.nanoTime() - started);
        } else if (outcome == QuorumTracker.Outcome.FAILED && round.tracker.allAnswered()) {
          answer.tryComplete(failure(KvResponse.Outcome.UNAVAILABLE, request.r(), round.tracker.successes(),
              "only " + round.tracker.successes() + " of the " + request.r() + " required replicas answered"));
        }
        if (round.tracker.allAnswered()) {
          vertx.cancelTimer(timer);
          repair(partition, request.key(), round);
        }
      });
    }
    return answer.future();
  }

  /** Read repair: every replica that answered with less than the reconciled set gets it. */
  private void repair(int partition, byte[] key, ReadRound round) {
    if (round.revealsConflict()) {
      changes.written(key, round.merged, nodeId);
    }
    for (String stale : round.staleReplicas()) {
      ask(stale, ReplicaRequest.merge(partition, key, round.merged), config.requestTimeoutMs())
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

  private Future<KvResponse> delete(KvRequest request) {
    if (request.context() != null) {
      return write(request);
    }
    // A plain DELETE deletes what a quorum read sees, as users expect.
    KvRequest readFirst = new KvRequest(KvRequest.Op.GET, request.key(), null, null, null,
        config.r(), request.w(), request.timeoutMs(), request.sloppy(), false);
    return read(readFirst).compose(found -> {
      if (found.outcome() != KvResponse.Outcome.OK) {
        return Future.succeededFuture(found);
      }
      if (!found.siblings().hasLiveValue()) {
        return Future.succeededFuture(KvResponse.ok(found.siblings(), null, nodeId));
      }
      return write(new KvRequest(KvRequest.Op.DELETE, request.key(), null, null, found.siblings().context(),
          request.r(), request.w(), request.timeoutMs(), request.sloppy(), request.returnBody()));
    });
  }

  private Future<KvResponse> write(KvRequest request) {
    Placement placement = cluster.placement();
    int partition = placement.partitionOf(request.key());
    List<String> replicas = placement.homeReplicas(partition);
    if (!replicas.contains(nodeId)) {
      return forward(request, replicas, 0);
    }
    long started = System.nanoTime();
    boolean tombstone = request.op() == KvRequest.Op.DELETE;
    ReplicaRequest write = ReplicaRequest.write(partition, request.key(), request.context(), tombstone,
        tombstone ? null : request.contentType(), tombstone ? new byte[0] : request.value(), clock.millis());
    Future<ReplicaReply> stored;
    Future<ReplicaReply> ownCopy;
    if (config.syncWrites() && replicas.size() > 1) {
      // Replicate as soon as the new sibling set is known, while this replica syncs it: a write
      // then waits for the slower of two fsyncs, not for one after the other. Our own copy counts
      // towards W only once it is synced; if it is lost, the store makes later dots under a new
      // actor name (ActorIncarnation), so no later clock claims the lost one.
      ReplicaService.SplitWrite split = local.writeSplit(write, context);
      stored = split.applied();
      ownCopy = split.durable();
    } else {
      stored = ask(nodeId, write, request.timeoutMs());
      ownCopy = stored;
    }
    return stored.transform((applied, err) -> {
      TooManySiblingsException refused = TooManySiblingsException.in(err);
      if (refused != null) {
        return Future.succeededFuture(KvResponse.tooManySiblings(refused.limit(), refused.siblings(),
            refused.getMessage(), nodeId));
      }
      if (err != null) {
        return failed(KvResponse.Outcome.UNAVAILABLE, request.w(), 0,
            "the coordinating replica could not store the write: " + err.getMessage());
      }
      return replicate(request, partition, replicas, applied, ownCopy, started);
    });
  }

  /**
   * Sends the coordinator's new sibling set to the other replicas; done at W acknowledgements, of
   * which the coordinator's own is {@code ownCopy} (already complete unless it is still syncing).
   */
  private Future<KvResponse> replicate(KvRequest request, int partition, List<String> replicas, ReplicaReply stored,
      Future<ReplicaReply> ownCopy, long started) {
    QuorumTracker tracker = new QuorumTracker(replicas.size(), request.w());
    Promise<KvResponse> answer = Promise.promise();
    // What the replicas that answered hold together: concurrent writes they had are siblings too.
    SiblingSet[] known = {stored.siblings()};
    Runnable acknowledged = () -> {
      if (answer.tryComplete(KvResponse.ok(known[0], stored.written(), nodeId))) {
        metrics.quorumLatency(request.op() == KvRequest.Op.PUT ? "put" : "delete", System.nanoTime() - started);
        changes.written(request.key(), known[0], nodeId);
      }
    };
    Runnable failed = () -> answer.tryComplete(failure(KvResponse.Outcome.UNAVAILABLE, request.w(),
        tracker.successes(), "only " + tracker.successes() + " of the " + request.w()
            + " required replicas acknowledged; the write is stored on those and may still appear"));
    // Counts one replica's answer; a replica that holds more than it was sent adds its siblings.
    BiConsumer<SiblingSet, Throwable> count = (theirs, err) -> {
      if (theirs != null && !answer.future().isComplete()) {
        known[0] = known[0].merge(theirs, conflictMode);
      }
      QuorumTracker.Outcome outcome = err == null ? tracker.onSuccess() : tracker.onFailure();
      if (outcome == QuorumTracker.Outcome.REACHED) {
        acknowledged.run();
      } else if (outcome == QuorumTracker.Outcome.FAILED && tracker.allAnswered()) {
        // Wait for every answer before refusing, so the count we report is what really stored it.
        failed.run();
      }
    };
    // A copy that is already stored counts at once (so W=1 answers before anything is sent).
    ownCopy.onComplete((ignored, err) -> count.accept(null, err));
    long timer = vertx.setTimer(request.timeoutMs(), id -> answer.tryComplete(failure(KvResponse.Outcome.TIMEOUT,
        request.w(), tracker.successes(), "write timed out after " + request.timeoutMs() + " ms with "
            + tracker.successes() + " acknowledgements; the write may still appear")));
    answer.future().onComplete(r -> vertx.cancelTimer(timer));
    ReplicaRequest merge = ReplicaRequest.merge(partition, request.key(), stored.siblings());
    for (String replica : replicas) {
      if (replica.equals(nodeId)) {
        continue;
      }
      ask(replica, merge, request.timeoutMs())
          .onComplete((reply, err) -> count.accept(err == null ? reply.siblings() : null, err));
    }
    return answer.future();
  }

  /**
   * One replica request: this node's own replica is served in-process (same storage, no
   * event-bus hop; the request's own timer bounds it), the others over the clustered event bus
   * with a send timeout, coalesced per node and event-loop turn by the {@link ReplicaOutbox}.
   */
  private Future<ReplicaReply> ask(String replica, ReplicaRequest request, long timeoutMs) {
    if (replica.equals(nodeId)) {
      return local.handle(request, context);
    }
    return outbox.ask(replica, request, timeoutMs);
  }

  /**
   * This node holds no replica of the key: hand the write to a home replica's coordinator. Only a
   * message that was certainly not delivered (no handler) moves on to the next replica, so a write
   * is never applied twice.
   */
  private Future<KvResponse> forward(KvRequest request, List<String> replicas, int index) {
    if (index >= replicas.size()) {
      return failed(KvResponse.Outcome.UNAVAILABLE, request.w(), 0, "no replica of this key is reachable");
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(request.timeoutMs());
    return vertx.eventBus().<KvResponse>request(Addresses.coordinator(replicas.get(index)), request, options)
        .map(Message::body)
        .recover(err -> {
          if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            return forward(request, replicas, index + 1);
          }
          return failed(KvResponse.Outcome.TIMEOUT, request.w(), 0,
              "the coordinating replica did not answer in time; the write may still appear");
        });
  }

  /** A refusal answered by this coordinator: {@code required} replicas were needed, {@code acknowledged} answered. */
  private KvResponse failure(KvResponse.Outcome outcome, int required, int acknowledged, String message) {
    return KvResponse.failure(outcome, required, acknowledged, message, nodeId);
  }

  private Future<KvResponse> failed(KvResponse.Outcome outcome, int required, int acknowledged, String message) {
    return Future.succeededFuture(failure(outcome, required, acknowledged, message));
  }
}
