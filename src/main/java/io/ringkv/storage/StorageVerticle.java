package io.ringkv.storage;

import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's storage on the event bus ({@code ringkv.storage.<nodeId>}), for coordinators on other
 * nodes. Thin: {@link LocalReplica} does the work off the event loop; this only moves messages.
 */
public final class StorageVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StorageVerticle.class.getName());
  /** Failure codes sent back to coordinators. */
  public static final int FAILURE_BUSY = 503;
  public static final int FAILURE_INTERNAL = 500;

  private final String nodeId;
  private final LocalReplica replica;

  public StorageVerticle(String nodeId, LocalReplica replica) {
    this.nodeId = nodeId;
    this.replica = replica;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<ReplicaRequest>consumer(Addresses.storage(nodeId), this::handle).completion();
  }

  private void handle(Message<ReplicaRequest> message) {
    ReplicaRequest req = message.body();
    Future<ReplicaReply> reply = replica.handle(req, context);
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
}
