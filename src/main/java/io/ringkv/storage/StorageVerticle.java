package io.ringkv.storage;

import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.PartitionScan;
import io.ringkv.messaging.ReplicaBatch;
import io.ringkv.messaging.ReplicaBatchReply;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's storage on the event bus ({@code ringkv.storage.<nodeId>}), for coordinators on other
 * nodes: single {@link ReplicaRequest}s and {@link ReplicaBatch}es. Thin: {@link LocalReplica}
 * does the work off the event loop; this only moves messages.
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
    return vertx.eventBus().consumer(Addresses.storage(nodeId), this::handle).completion();
  }

  private void handle(Message<Object> message) {
    if (message.body() instanceof ReplicaBatch batch) {
      handleBatch(message, batch);
    } else if (message.body() instanceof PartitionScan scan) {
      // A node that will be a home replica of the partition copies it from here, page by page.
      context.executeBlocking(() -> replica.store().scanPartition(scan.partition(), scan.after(),
          Math.min(scan.maxKeys(), 10_000), Math.min(scan.maxBytes(), 8 << 20)), false)
          .onComplete((page, err) -> {
            if (err == null) {
              message.reply(page);
            } else {
              LOG.log(Level.WARNING, "storage " + nodeId + " failed to scan partition " + scan.partition(), err);
              message.fail(FAILURE_INTERNAL, "storage error on " + nodeId);
            }
          });
    } else if (message.body() instanceof ReplicaRequest req) {
      replica.handle(req, context).onComplete((ok, err) -> {
        if (err == null) {
          message.reply(ok);
        } else {
          ReplicaBatchReply.Outcome failure = failure(req, err);
          message.fail(failure.failureCode(), failure.failureMessage());
        }
      });
    } else {
      message.fail(FAILURE_INTERNAL, "storage of " + nodeId + " does not understand "
          + (message.body() == null ? "an empty message" : message.body().getClass().getSimpleName()));
    }
  }

  /** Every request of the batch runs as if sent alone; one reply carries all outcomes, in order. */
  private void handleBatch(Message<Object> message, ReplicaBatch batch) {
    List<Future<ReplicaReply>> replies = new ArrayList<>(batch.requests().size());
    for (ReplicaRequest req : batch.requests()) {
      replies.add(replica.handle(req, context));
    }
    Future.join(replies).onComplete(done -> {
      List<ReplicaBatchReply.Outcome> outcomes = new ArrayList<>(replies.size());
      for (int i = 0; i < replies.size(); i++) {
        Future<ReplicaReply> reply = replies.get(i);
        outcomes.add(reply.succeeded() ? ReplicaBatchReply.Outcome.ok(reply.result())
            : failure(batch.requests().get(i), reply.cause()));
      }
      message.reply(new ReplicaBatchReply(outcomes));
    });
  }

  private ReplicaBatchReply.Outcome failure(ReplicaRequest req, Throwable err) {
    if (err instanceof StorageBusyException || err.getCause() instanceof StorageBusyException) {
      return ReplicaBatchReply.Outcome.failed(FAILURE_BUSY, "storage of " + nodeId + " is overloaded");
    }
    LOG.log(Level.WARNING, "storage " + nodeId + " failed " + req.kind() + " in partition " + req.partition(), err);
    return ReplicaBatchReply.Outcome.failed(FAILURE_INTERNAL, "storage error on " + nodeId);
  }
}
