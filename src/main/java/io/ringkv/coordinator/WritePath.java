package io.ringkv.coordinator;

import io.micrometer.core.instrument.Counter;
import io.ringkv.cluster.ReplicaPlan;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.KvRequest;
import io.ringkv.messaging.KvResponse;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.messaging.ReplicaService;
import io.ringkv.messaging.TooManySiblingsException;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The write of a coordinator that is a live home replica of the key: its own versioned write, then
 * the resulting sibling set to every other target of the {@link ReplicaPlan} (live homes as
 * replicas, fallbacks as hints for the down homes), answered once W acknowledgements that count
 * are in ({@link WriteRound}). A target that does not acknowledge, and a down home with no
 * fallback, get their copy as a hint kept here.
 */
final class WritePath {
  private final RingkvConfig config;
  private final String nodeId;
  private final ConflictMode mode;
  private final ReplicaCalls replicas;
  private final RequestTimers timers;
  private final ChangeListener changes;
  private final StoreMetrics metrics;
  private final Counter fallbackWrites;

  WritePath(RingkvConfig config, ConflictMode mode, ReplicaCalls replicas, RequestTimers timers,
      ChangeListener changes, StoreMetrics metrics, Counter fallbackWrites) {
    this.config = config;
    this.nodeId = config.id();
    this.mode = mode;
    this.replicas = replicas;
    this.timers = timers;
    this.changes = changes;
    this.metrics = metrics;
    this.fallbackWrites = fallbackWrites;
  }

  Future<KvResponse> coordinate(KvRequest request, ReplicaPlan plan, long nowMs) {
    long started = System.nanoTime();
    ReplicaRequest write = ownWrite(request, plan.partition(), nowMs);
    Future<ReplicaReply> stored;
    Future<ReplicaReply> ownCopy;
    if (config.syncWrites() && plan.targets().size() > 1) {
      // Replicate as soon as the new sibling set is known, while this replica syncs it: a write
      // then waits for the slower of two fsyncs, not for one after the other. Our own copy counts
      // towards W only once it is synced; if it is lost, the store makes later dots under a new
      // actor name (ActorIncarnation), so no later clock claims the lost one.
      ReplicaService.SplitWrite split = replicas.writeSplit(write);
      stored = split.applied();
      ownCopy = split.durable();
    } else {
      stored = replicas.ask(nodeId, write, request.timeoutMs());
      ownCopy = stored;
    }
    return stored.transform((applied, err) -> err != null
        ? Future.succeededFuture(ownWriteFailed(request, err, nodeId))
        : replicate(request, plan, applied, ownCopy, started));
  }

  /** The coordinating replica's own versioned write of {@code request} (a DELETE writes a tombstone). */
  static ReplicaRequest ownWrite(KvRequest request, int partition, long nowMs) {
    boolean tombstone = request.op() == KvRequest.Op.DELETE;
    return ReplicaRequest.write(partition, request.key(), request.context(), tombstone,
        tombstone ? null : request.contentType(), tombstone ? new byte[0] : request.value(), nowMs);
  }

  /** The answer when the coordinating replica could not store the write: too many siblings, or unavailable. */
  static KvResponse ownWriteFailed(KvRequest request, Throwable err, String nodeId) {
    TooManySiblingsException refused = TooManySiblingsException.in(err);
    if (refused != null) {
      return KvResponse.tooManySiblings(refused.limit(), refused.siblings(), refused.getMessage(), nodeId);
    }
    return KvResponse.failure(KvResponse.Outcome.UNAVAILABLE, request.w(), 0,
        "the coordinating replica could not store the write: " + err.getMessage(), nodeId);
  }

  /**
   * Sends the coordinator's new sibling set to the other targets; done at W acknowledgements that
   * count, of which the coordinator's own is {@code ownCopy} (already complete unless it is still syncing).
   */
  private Future<KvResponse> replicate(KvRequest request, ReplicaPlan plan, ReplicaReply stored,
      Future<ReplicaReply> ownCopy, long started) {
    WriteRound round = new WriteRound(plan, request.w(), request.sloppy(), mode, stored.siblings());
    Promise<KvResponse> answer = Promise.promise();
    SiblingSet siblings = stored.siblings();
    // A copy that is already stored counts at once (so W=1 answers before anything is sent).
    ownCopy.onComplete((ignored, err) -> settle(request, round, round.ownCopy(err == null), answer, stored, started));
    Deadlines.Entry timer = timers.schedule(request.timeoutMs(), () -> answer.tryComplete(KvResponse.failure(
        KvResponse.Outcome.TIMEOUT, request.w(), round.tracker.successes(), "write timed out after "
            + request.timeoutMs() + " ms with " + round.tracker.successes()
            + " acknowledgements; the write may still appear", nodeId)));
    answer.future().onComplete(r -> timer.cancel());
    ReplicaRequest merge = ReplicaRequest.merge(plan.partition(), request.key(), siblings);
    for (ReplicaPlan.Target target : plan.targets()) {
      if (target.node().equals(nodeId)) {
        continue;
      }
      if (target.isFallback()) {
        fallbackWrites.increment();
      }
      replicas.ask(target.node(), target.isFallback() ? merge.hintedFor(target.hintFor()) : merge,
          request.timeoutMs()).onComplete((reply, err) -> {
            if (err != null) {
              replicas.keepHint(target.isFallback() ? target.hintFor() : target.node(), plan.partition(),
                  request.key(), siblings);
            }
            settle(request, round, round.answer(target, err == null, err == null ? reply.siblings() : null), answer,
                stored, started);
          });
    }
    for (String home : plan.unplaced()) {
      replicas.keepHint(home, plan.partition(), request.key(), siblings);
    }
    // Nodes becoming (or just stopped being) homes while the ring changes: they get every write,
    // never counted; one that misses it gets it as a hint.
    for (String extra : plan.extras()) {
      if (extra.equals(nodeId)) {
        continue;
      }
      replicas.ask(extra, merge, request.timeoutMs()).onFailure(err ->
          replicas.keepHint(extra, plan.partition(), request.key(), siblings));
    }
    return answer.future();
  }

  private void settle(KvRequest request, WriteRound round, QuorumTracker.Outcome outcome,
      Promise<KvResponse> answer, ReplicaReply stored, long started) {
    if (outcome == QuorumTracker.Outcome.REACHED) {
      if (answer.tryComplete(KvResponse.ok(round.known(), stored.written(), nodeId))) {
        metrics.quorumLatency(request.op() == KvRequest.Op.PUT ? "put" : "delete", System.nanoTime() - started);
        changes.written(request.key(), round.known(), nodeId);
      }
    } else if (outcome == QuorumTracker.Outcome.FAILED && round.tracker.allAnswered()) {
      // Wait for every answer before refusing, so the count reported is what really stored it.
      answer.tryComplete(KvResponse.failure(KvResponse.Outcome.UNAVAILABLE, request.w(), round.tracker.successes(),
          "only " + round.tracker.successes() + " of the " + request.w() + " required replicas acknowledged;"
              + " the write is stored on those and may still appear", nodeId));
    }
  }
}
