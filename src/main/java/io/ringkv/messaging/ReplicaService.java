package io.ringkv.messaging;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * This node's own replica, served in-process: coordinators use it without an event-bus hop, and
 * the storage verticle answers other nodes' requests with it. Implemented by the storage package.
 */
public interface ReplicaService {

  /** Answers one request; the result arrives on {@code context}. Never blocks the caller. */
  Future<ReplicaReply> handle(ReplicaRequest request, Context context);

  /**
   * The coordinating replica's WRITE, answered twice on {@code context}: {@code applied} with the
   * new sibling set as soon as it is computed (before it is synced), {@code durable} once stored.
   * A write whose {@code applied} failed is not stored.
   */
  SplitWrite writeSplit(ReplicaRequest request, Context context);

  /** The two answers of a {@link #writeSplit}. */
  record SplitWrite(Future<ReplicaReply> applied, Future<ReplicaReply> durable) {}
}
