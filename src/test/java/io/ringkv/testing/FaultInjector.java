package io.ringkv.testing;

import io.ringkv.node.RingkvNode;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Drops event-bus messages leaving a node, to cut chosen links (a partition between nodes) without
 * touching the code under test. The dropped request times out exactly as over a dead link.
 */
public final class FaultInjector implements AutoCloseable {
  private final RingkvNode node;
  private final Handler<DeliveryContext<Object>> interceptor;

  private FaultInjector(RingkvNode node, Predicate<String> dropAddress) {
    this.node = node;
    this.interceptor = dc -> {
      if (!dropAddress.test(dc.message().address())) {
        dc.next();
      }
    };
    node.vertx().eventBus().addOutboundInterceptor(interceptor);
  }

  /** Drops everything {@code from} sends to any of the given nodes' storage, gossip and coordinator. */
  public static FaultInjector cut(RingkvNode from, String... toNodes) {
    Set<String> targets = Set.of(toNodes);
    return new FaultInjector(from, address -> targets.stream().anyMatch(n -> address.endsWith("." + n)));
  }

  /** Drops only what {@code from} sends to the given nodes' storage (replication, reads, repair). */
  public static FaultInjector cutStorage(RingkvNode from, String... toNodes) {
    Set<String> targets = Set.of(toNodes);
    return new FaultInjector(from, address -> targets.stream().anyMatch(n -> address.equals("ringkv.storage." + n)));
  }

  @Override
  public void close() {
    node.vertx().eventBus().removeOutboundInterceptor(interceptor);
  }
}
