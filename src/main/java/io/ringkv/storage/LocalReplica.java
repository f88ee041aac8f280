package io.ringkv.storage;

import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.messaging.ReplicaService;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;

/**
 * Answers {@link ReplicaRequest}s from this node's {@link ReplicaStore}. The StorageVerticle uses
 * it for requests from other nodes; coordinators use it for their own node's replica, which saves
 * two event-loop hops per request. Blocking work never runs on the caller's event loop: reads
 * that the row cache cannot answer go to the worker pool, writes to the group-commit thread, and
 * the result comes back on the caller's context.
 */
public final class LocalReplica implements ReplicaService {
  private final ReplicaStore store;

  public LocalReplica(ReplicaStore store) {
    this.store = store;
  }

  @Override
  public Future<ReplicaReply> handle(ReplicaRequest req, Context context) {
    return switch (req.kind()) {
      case READ -> read(req, context);
      case WRITE -> Future.fromCompletionStage(write(req, null), context).map(LocalReplica::reply);
      case MERGE -> req.hintFor() != null ? keepHint(req, context) : merge(req, context);
    };
  }

  /** A replica that holds more than it was sent says so: the coordinator reports every sibling. */
  private Future<ReplicaReply> merge(ReplicaRequest req, Context context) {
    return Future.fromCompletionStage(store.merge(req.partition(), req.key(), req.siblings()), context)
        .map(merged -> merged.sameVersionsAs(req.siblings()) ? ReplicaReply.ACK : new ReplicaReply(merged, null));
  }

  /** A fallback keeps the versions for the home replica; a hint dropped at the bound is no acknowledgement. */
  private Future<ReplicaReply> keepHint(ReplicaRequest req, Context context) {
    return Future.fromCompletionStage(store.hints().merge(req.hintFor(), req.partition(), req.key(), req.siblings()),
        context).compose(outcome -> outcome == HintStore.Outcome.STORED ? Future.succeededFuture(ReplicaReply.ACK)
            : Future.failedFuture(new StorageBusyException("hint storage is full")));
  }

  /** A row-cache hit is answered on the caller's thread; a miss reads LevelDB on a worker. */
  private Future<ReplicaReply> read(ReplicaRequest req, Context context) {
    if (req.hintFor() != null) {
      // A fallback answers with what it holds for the key: its own copy, if any, and the hint.
      return context.executeBlocking(() -> new ReplicaReply(store.read(req.partition(), req.key())
          .merge(store.hints().read(req.hintFor(), req.partition(), req.key()), store.mode()), null), false);
    }
    SiblingSet cached = store.readCached(req.partition(), req.key());
    if (cached != null) {
      return Future.succeededFuture(new ReplicaReply(cached, null));
    }
    return context.executeBlocking(() -> new ReplicaReply(store.read(req.partition(), req.key()), null), false);
  }

  @Override
  public SplitWrite writeSplit(ReplicaRequest req, Context context) {
    if (req.kind() != ReplicaRequest.Kind.WRITE) {
      throw new IllegalArgumentException("only a WRITE can be split, got " + req.kind());
    }
    CompletableFuture<ReplicaStore.Written> applied = new CompletableFuture<>();
    CompletableFuture<ReplicaStore.Written> durable = write(req, applied);
    return new SplitWrite(Future.fromCompletionStage(applied, context).map(LocalReplica::reply),
        Future.fromCompletionStage(durable, context).map(LocalReplica::reply));
  }

  private CompletableFuture<ReplicaStore.Written> write(ReplicaRequest req,
      CompletableFuture<ReplicaStore.Written> applied) {
    return store.write(req.partition(), req.key(), req.context(), req.tombstone(), req.contentType(), req.value(),
        req.timestampMs(), applied);
  }

  private static ReplicaReply reply(ReplicaStore.Written w) {
    return new ReplicaReply(w.siblings(), w.version());
  }

  public ReplicaStore store() {
    return store;
  }
}
