package io.ringkv.fault;

import io.ringkv.cluster.FaultInjection;
import io.ringkv.cluster.FaultPlan;
import io.ringkv.messaging.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies the {@link FaultPlan} in force to this node's event-bus traffic: requests, replies,
 * gossip and published events alike, so a partition is also what the failure detector sees.
 * Installed only with {@code --fault-injection true}; otherwise no message pays for it.
 *
 * <p>How a message's peer is known: the sender's id travels in a header; the target of a
 * point-to-point message is in its address ({@link Addresses#targetNode}); the target of a reply
 * is the node whose request arrived with that reply address (remembered here, bounded). A
 * published message goes to every node, so the publisher names in a header the nodes that must
 * drop or delay it, and each receiver applies its own entry.
 */
public final class EventBusFaults {
  static final String FROM = "ringkv-from";
  static final String PUBLISH_FAULTS = "ringkv-faults";
  private static final int MAX_REMEMBERED_REPLIES = 100_000;

  private final Vertx vertx;
  private final String self;
  private final FaultInjection faults;
  /** Reply address to the node that asked: replies carry no address of their target. */
  private final Map<String, String> replyTargets = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_REMEMBERED_REPLIES;
    }
  };

  private EventBusFaults(Vertx vertx, String self, FaultInjection faults) {
    this.vertx = vertx;
    this.self = self;
    this.faults = faults;
  }

  /** Installs the interceptors on this node's event bus when fault injection is enabled. */
  public static void install(Vertx vertx, String selfId, FaultInjection faults) {
    if (!faults.enabled()) {
      return;
    }
    EventBusFaults f = new EventBusFaults(vertx, selfId, faults);
    EventBus bus = vertx.eventBus();
    bus.addOutboundInterceptor(f::outbound);
    bus.addInboundInterceptor(f::inbound);
  }

  private void outbound(DeliveryContext<Object> dc) {
    MultiMap headers = dc.message().headers();
    headers.set(FROM, self);
    FaultPlan plan = faults.plan();
    if (plan.isEmpty()) {
      forget(dc.message().address());
      dc.next();
      return;
    }
    if (!dc.send()) {
      String publishFaults = PublishFaults.encode(plan);
      if (publishFaults != null) {
        headers.set(PUBLISH_FAULTS, publishFaults);
      }
      dc.next();
      return;
    }
    String target = targetOf(dc.message().address());
    if (target == null || target.equals(self)) {
      dc.next();
    } else if (plan.dropsTo(target)) {
      return; // dropped: a request then times out, as over a cut link
    } else {
      deliver(dc, plan.delayFor(target));
    }
  }

  private void inbound(DeliveryContext<Object> dc) {
    MultiMap headers = dc.message().headers();
    String from = headers.get(FROM);
    if (from == null || from.equals(self)) {
      dc.next();
      return;
    }
    if (dc.message().replyAddress() != null) {
      remember(dc.message().replyAddress(), from);
    }
    FaultPlan plan = faults.plan();
    long delay = plan.delayFor(from);
    String publishFaults = headers.get(PUBLISH_FAULTS);
    if (publishFaults != null) {
      long publisherSays = PublishFaults.actionFor(publishFaults, self);
      if (publisherSays < 0) {
        return;
      }
      delay += publisherSays;
    }
    if (plan.dropsFrom(from)) {
      return;
    }
    deliver(dc, delay);
  }

  private void deliver(DeliveryContext<Object> dc, long delayMs) {
    if (delayMs <= 0) {
      dc.next();
    } else {
      vertx.setTimer(delayMs, id -> dc.next());
    }
  }

  private String targetOf(String address) {
    String node = Addresses.targetNode(address);
    return node != null ? node : forget(address);
  }

  private synchronized void remember(String replyAddress, String from) {
    replyTargets.put(replyAddress, from);
  }

  private synchronized String forget(String replyAddress) {
    return replyTargets.isEmpty() ? null : replyTargets.remove(replyAddress);
  }

  /** The published message's faults, as {@code node=action,...} with action {@code drop} or a delay. */
  static final class PublishFaults {
    private PublishFaults() {}

    static String encode(FaultPlan plan) {
      StringBuilder out = new StringBuilder();
      for (String node : plan.drop()) {
        out.append(out.isEmpty() ? "" : ",").append(node).append("=drop");
      }
      for (Map.Entry<String, Long> e : plan.delayMs().entrySet()) {
        if (e.getValue() > 0 && !plan.dropsTo(e.getKey())) {
          out.append(out.isEmpty() ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
      }
      return out.isEmpty() ? null : out.toString();
    }

    /** -1 if {@code node} must drop the message, else the delay in ms it must add (0 = none). */
    static long actionFor(String encoded, String node) {
      for (String entry : encoded.split(",")) {
        int eq = entry.lastIndexOf('=');
        if (eq > 0 && entry.substring(0, eq).equals(node)) {
          String action = entry.substring(eq + 1);
          return action.equals("drop") ? -1 : Long.parseLong(action);
        }
      }
      return 0;
    }
  }
}
