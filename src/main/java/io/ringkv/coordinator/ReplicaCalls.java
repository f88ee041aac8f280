package io.ringkv.coordinator;

import io.micrometer.core.instrument.Counter;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.messaging.ReplicaService;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How one coordinator instance reaches replicas: its own node's replica in-process (same storage,
 * no event-bus hop; the request's own timer bounds it), the others over the clustered event bus
 * with a send timeout, coalesced per node and event-loop turn by the {@link ReplicaOutbox}; and
 * the hints it keeps itself for a home replica that got no copy. Used on the coordinator's context.
 */
final class ReplicaCalls {
  private static final Logger LOG = Logger.getLogger(ReplicaCalls.class.getName());

  private final String self;
  private final ReplicaService local;
  private final ReplicaOutbox outbox;
  private final Context context;
  private final boolean hintedHandoff;
  private final Counter keptLocally;

  ReplicaCalls(String self, ReplicaService local, ReplicaOutbox outbox, Context context, boolean hintedHandoff,
      Counter keptLocally) {
    this.self = self;
    this.local = local;
    this.outbox = outbox;
    this.context = context;
    this.hintedHandoff = hintedHandoff;
    this.keptLocally = keptLocally;
  }

  Future<ReplicaReply> ask(String node, ReplicaRequest request, long timeoutMs) {
    if (node.equals(self)) {
      return local.handle(request, context);
    }
    return outbox.ask(node, request, timeoutMs);
  }

  ReplicaService.SplitWrite writeSplit(ReplicaRequest write) {
    return local.writeSplit(write, context);
  }

  /**
   * Keeps {@code siblings} as a hint for {@code home} on this node: the home is down with no
   * fallback left, or it (or the fallback standing in for it) did not acknowledge. Delivered by
   * handoff once the home is up; merging it again where it did arrive changes nothing. Never
   * counts toward W: this node already holds a replica. Does nothing with hinted handoff off.
   */
  void keepHint(String home, int partition, byte[] key, SiblingSet siblings) {
    if (!hintedHandoff || home.equals(self)) {
      return;
    }
    keptLocally.increment();
    local.handle(ReplicaRequest.mergeHint(partition, key, siblings, home), context).onFailure(err ->
        LOG.log(Level.FINE, "could not keep a hint for " + home + " in partition " + partition, err));
  }
}
