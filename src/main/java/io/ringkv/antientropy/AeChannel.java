package io.ringkv.antientropy;

import io.ringkv.messaging.AeMessages;
import io.ringkv.messaging.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Clock;

/**
 * Requests of this node's exchanges to other nodes' anti-entropy verticles: each with a timeout,
 * each request and reply counted in bytes against the exchange that sent it, and all of them
 * paced by the node's {@link ByteBudget}, which its answers to peers share (a request waits while
 * the budget is in debt).
 */
final class AeChannel {
  private final String self;
  private final Vertx vertx;
  private final Clock clock;
  private final long timeoutMs;
  private final ByteBudget budget;

  /** Bytes one exchange sent and received. */
  static final class Traffic {
    long bytes;
  }

  AeChannel(String self, Vertx vertx, Clock clock, long timeoutMs, ByteBudget budget) {
    this.self = self;
    this.vertx = vertx;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
    this.budget = budget;
  }

  /** Sends {@code request} to {@code peer}'s anti-entropy verticle once the budget allows. */
  <T> Future<T> ask(String peer, Object request, Traffic traffic) {
    return paced().compose(v -> {
      int sent = AeMessages.size(request);
      traffic.bytes += sent;
      budget.charge(sent, clock.millis());
      return vertx.eventBus().<T>request(Addresses.antiEntropy(peer), request,
          new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(AeMessages.FROM_HEADER, self));
    }).map(reply -> {
      int received = AeMessages.size(reply.body());
      traffic.bytes += received;
      budget.charge(received, clock.millis());
      return reply.body();
    });
  }

  private Future<Void> paced() {
    long wait = budget.waitMs(clock.millis());
    return wait == 0 ? Future.succeededFuture() : vertx.timer(wait).compose(v -> paced());
  }
}
