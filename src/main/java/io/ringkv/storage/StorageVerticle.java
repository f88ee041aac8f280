package io.ringkv.storage;

import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's storage on the event bus ({@code ringkv.storage.<nodeId>}). Thin: LevelDB reads run
 * on the worker pool, writes go through the {@link ReplicaStore}'s group-commit thread; the event
 * loop only moves messages.
 */
public final class StorageVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StorageVerticle.class.getName());
  /** Failure codes sent back to coordinators. */
  public static final int FAILURE_BUSY = 503;
  public static final int FAILURE_INTERNAL = 500;

  private final String nodeId;
  private final ReplicaStore store;

  public StorageVerticle(String nodeId, ReplicaStore store) {
    this.nodeId = nodeId;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<ReplicaRequest>consumer(Addresses.storage(nodeId), this::handle).completion();
  }

  private void handle(Message<ReplicaRequest> message) {
    ReplicaRequest req = message.body();
    Future<ReplicaReply> reply = switch (req.kind()) {
      case READ -> vertx.executeBlocking(() -> new ReplicaReply(store.read(req.partition(), req.key()), null), false);
      case WRITE -> adapt(store.write(req.partition(), req.key(), req.context(), req.tombstone(), req.contentType(),
          req.value(), req.timestampMs()).thenApply(w -> new ReplicaReply(w.siblings(), w.version())));
      // A replica that holds more than it was sent says so: the coordinator reports every sibling.
      case MERGE -> adapt(store.merge(req.partition(), req.key(), req.siblings())
          .thenApply(merged -> merged.sameVersionsAs(req.siblings()) ? ReplicaReply.ACK : new ReplicaReply(merged, null)));
    };
    reply.onComplete((ok, err) -> {
      if (err == null) {
        message.reply(ok);
      } else if (err instanceof StorageBusyException || err.getCause() instanceof StorageBusyException) {
        message.fail(FAILURE_BUSY, "storage of " + nodeId + " is overloaded");
      } else {
        LOG.log(Level.WARNING, "storage " + nodeId + " failed " + req.kind() + " in partition " + req.partition(), err);
        message.fail(FAILURE_INTERNAL, "storage error on " + nodeId);
      }
    });
  }

  /** Brings a storage-thread completion back onto this verticle's event loop. */
  private <T> Future<T> adapt(CompletableFuture<T> future) {
    return Future.fromCompletionStage(future, context);
  }
}
