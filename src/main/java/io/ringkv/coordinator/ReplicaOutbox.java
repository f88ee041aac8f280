package io.ringkv.coordinator;

import io.micrometer.core.instrument.Counter;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ReplicaBatch;
import io.ringkv.messaging.ReplicaBatchReply;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A coordinator's requests to other nodes' storage, coalesced per node and event-loop turn. A
 * group commit completes many writes at once, so the coordinator replicates them in one turn:
 * those requests leave as one {@link ReplicaBatch} per node instead of one message each (one
 * event-bus routing and one system call instead of many, on both ends). A lone request is sent as
 * it is. Every request keeps its own outcome; a batch that gets no answer in time fails all of its
 * requests, as the single messages would have failed. Used only on the coordinator's context.
 */
final class ReplicaOutbox {
  private final EventBus eventBus;
  private final Context context;
  private final Counter batchesSent;
  private final Counter requestsBatched;
  private Map<String, List<Pending>> pending = new LinkedHashMap<>();
  private boolean flushScheduled;

  private record Pending(ReplicaRequest request, Promise<ReplicaReply> promise, long timeoutMs) {}

  ReplicaOutbox(EventBus eventBus, Context context, Counter batchesSent, Counter requestsBatched) {
    this.eventBus = eventBus;
    this.context = context;
    this.batchesSent = batchesSent;
    this.requestsBatched = requestsBatched;
  }

  Future<ReplicaReply> ask(String node, ReplicaRequest request, long timeoutMs) {
    Promise<ReplicaReply> promise = Promise.promise();
    pending.computeIfAbsent(node, n -> new ArrayList<>(4)).add(new Pending(request, promise, timeoutMs));
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush()); // after the tasks already queued on this event loop
    }
    return promise.future();
  }

  private void flush() {
    flushScheduled = false;
    Map<String, List<Pending>> due = pending;
    pending = new LinkedHashMap<>();
    due.forEach(this::send);
  }

  /**
   * Sends one node's requests. The event bus may throw right here instead of failing the reply:
   * Vert.x 5.0.7's clustered event bus does ("Promise already completed", from
   * OutboundConnection.writeMessage) when the connection to that node has just broken, e.g. as it
   * is killed. Such requests fail at once, so the coordinator keeps their hints; an exception that
   * escaped would leave them, and every other node's requests of this turn, unsent and unanswered.
   */
  private void send(String node, List<Pending> requests) {
    try {
      sendNow(node, requests);
    } catch (RuntimeException e) {
      for (Pending p : requests) {
        p.promise.tryFail(e);
      }
    }
  }

  private void sendNow(String node, List<Pending> requests) {
    String address = Addresses.storage(node);
    if (requests.size() == 1) {
      Pending only = requests.get(0);
      eventBus.<ReplicaReply>request(address, only.request, new DeliveryOptions().setSendTimeout(only.timeoutMs))
          .map(Message::body)
          .onComplete(only.promise);
      return;
    }
    batchesSent.increment();
    requestsBatched.increment(requests.size());
    long timeoutMs = 0;
    List<ReplicaRequest> batch = new ArrayList<>(requests.size());
    for (Pending p : requests) {
      batch.add(p.request);
      timeoutMs = Math.max(timeoutMs, p.timeoutMs);
    }
    eventBus.<ReplicaBatchReply>request(address, new ReplicaBatch(batch), new DeliveryOptions().setSendTimeout(timeoutMs))
        .onComplete((reply, err) -> {
          List<ReplicaBatchReply.Outcome> outcomes = err == null ? reply.body().outcomes() : List.of();
          if (err == null && outcomes.size() != requests.size()) {
            err = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, "storage of " + node + " answered "
                + outcomes.size() + " of " + requests.size() + " batched requests");
          }
          for (int i = 0; i < requests.size(); i++) {
            Promise<ReplicaReply> promise = requests.get(i).promise;
            if (err != null) {
              promise.fail(err);
            } else if (outcomes.get(i).reply() != null) {
              promise.complete(outcomes.get(i).reply());
            } else {
              promise.fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, outcomes.get(i).failureCode(),
                  outcomes.get(i).failureMessage()));
            }
          }
        });
  }
}
