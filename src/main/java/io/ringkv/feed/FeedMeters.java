package io.ringkv.feed;

import io.micrometer.core.instrument.Counter;
import io.ringkv.metrics.StoreMetrics;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The feed's meters of one node, shared by its HTTP instances (registered once per node: a gauge
 * registered twice under one name would silently keep only the first supplier).
 */
final class FeedMeters {
  private static final Map<StoreMetrics, FeedMeters> BY_NODE = Collections.synchronizedMap(new WeakHashMap<>());

  final AtomicInteger subscribers = new AtomicInteger();
  /** Keys and prefixes with at least one subscriber, summed over the node's HTTP instances. */
  final AtomicInteger indexed = new AtomicInteger();
  final Counter dropped;
  final Counter delivered;

  private FeedMeters(StoreMetrics metrics) {
    metrics.gauge("ringkv.feed.subscribers", "Open change-feed WebSocket connections on this node", subscribers::get);
    metrics.gauge("ringkv.feed.indexed.keys",
        "Keys and prefixes that at least one feed connection on this node subscribes to", indexed::get);
    dropped = metrics.counter("ringkv.feed.events.dropped",
        "Change events not sent because a subscriber's queue was full");
    delivered = metrics.counter("ringkv.feed.events.delivered", "Change events written to subscribers");
  }

  static FeedMeters of(StoreMetrics metrics) {
    return BY_NODE.computeIfAbsent(metrics, FeedMeters::new);
  }
}
