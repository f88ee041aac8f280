package io.ringkv.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.RelayBatch;
import io.ringkv.messaging.RelayBatchReply;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.ring.Membership;
import io.ringkv.ring.RingState;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ships a coordinator's writes to the other DCs in the background (asynchronous cross-DC
 * replication): per remote DC, the writes of a few milliseconds leave as one {@link RelayBatch}
 * to one relay node of that DC, which merges them into that DC's replicas. So a write costs one
 * WAN message per remote DC per batch, not one per remote replica. A batch that fails (the DC is
 * unreachable or too slow) becomes hints for that DC's home replicas, handed off once they are
 * reachable (bounded like every hint), and anti-entropy repairs whatever the hints dropped.
 *
 * <p>One instance per coordinator, driven from its event loop only.
 */
final class DcRelay {
  private static final Logger LOG = Logger.getLogger(DcRelay.class.getName());
  /** More than this many writes waiting for a DC leave at once. */
  static final int MAX_BATCH = 256;

  private final Vertx vertx;
  private final String self;
  private final String localDc;
  private final ClusterState cluster;
  private final ReplicaCalls replicas;
  private final long batchMs;
  private final long timeoutMs;
  private final int spread;
  private final StoreMetrics metrics;
  private final Map<String, Queue> queues = new HashMap<>();

  /** Writes waiting for one DC, and the timer that sends them. */
  private static final class Queue {
    final List<RelayBatch.Entry> entries = new ArrayList<>();
    final List<Promise<Integer>> promises = new ArrayList<>();
    final List<Long> since = new ArrayList<>();
    long timer = -1;
    int skip;
    Timer lag;
    Counter batches;
    Counter shipped;
    Counter failed;
  }

  DcRelay(Vertx vertx, String self, String localDc, ClusterState cluster, ReplicaCalls replicas, long batchMs,
      long timeoutMs, int spread, StoreMetrics metrics) {
    this.vertx = vertx;
    this.self = self;
    this.localDc = localDc;
    this.cluster = cluster;
    this.replicas = replicas;
    this.batchMs = batchMs;
    this.timeoutMs = timeoutMs;
    this.spread = spread;
    this.metrics = metrics;
  }

  /**
   * Queues a key's sibling set for {@code dc}; the future tells how many of that DC's home
   * replicas stored it, or fails when the batch did not get through (its copies are then hints).
   */
  Future<Integer> ship(String dc, int partition, byte[] key, SiblingSet siblings) {
    Queue queue = queues.computeIfAbsent(dc, this::newQueue);
    Promise<Integer> promise = Promise.promise();
    queue.entries.add(new RelayBatch.Entry(partition, key, siblings));
    queue.promises.add(promise);
    queue.since.add(System.nanoTime());
    cluster.replicationLag().pending(dc, 1);
    if (queue.entries.size() >= MAX_BATCH) {
      flush(dc, queue);
    } else if (queue.timer < 0) {
      queue.timer = vertx.setTimer(batchMs, id -> {
        queue.timer = -1;
        flush(dc, queue);
      });
    }
    return promise.future();
  }

  private Queue newQueue(String dc) {
    Queue q = new Queue();
    q.lag = Timer.builder("ringkv.dc.replication.lag")
        .description("Time from the local store of a write until the replicas of another DC stored it")
        .tag("dc", dc).publishPercentileHistogram().register(metrics.registry());
    Gauge.builder("ringkv.dc.replication.pending", cluster.replicationLag(),
            lag -> lag.pending(dc))
        .description("Writes shipped to another DC and not yet confirmed stored there").tag("dc", dc)
        .register(metrics.registry());
    q.batches = metrics.counter("ringkv.dc.relay.batches", "Relay batches sent to another DC", "dc", dc);
    q.shipped = metrics.counter("ringkv.dc.relay.writes", "Writes shipped to another DC inside relay batches", "dc", dc);
    q.failed = metrics.counter("ringkv.dc.relay.failed.writes",
        "Writes whose relay batch failed; kept as hints for that DC's replicas", "dc", dc);
    return q;
  }

  private void flush(String dc, Queue queue) {
    if (queue.timer >= 0) {
      vertx.cancelTimer(queue.timer);
      queue.timer = -1;
    }
    if (queue.entries.isEmpty()) {
      return;
    }
    List<RelayBatch.Entry> entries = List.copyOf(queue.entries);
    List<Promise<Integer>> promises = List.copyOf(queue.promises);
    List<Long> since = List.copyOf(queue.since);
    queue.entries.clear();
    queue.promises.clear();
    queue.since.clear();
    String relay = relayFor(dc, queue.skip);
    if (relay == null) {
      failed(dc, queue, entries, promises, "no node of " + dc + " is reachable");
      return;
    }
    queue.batches.increment();
    queue.shipped.increment(entries.size());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    vertx.eventBus().<RelayBatchReply>request(Addresses.relay(relay), new RelayBatch(localDc, self, entries), options)
        .map(Message::body)
        .onComplete((reply, err) -> {
          if (err != null || reply.stored().length != entries.size()) {
            queue.skip++; // the next batch tries another node of that DC
            failed(dc, queue, entries, promises, err == null ? "relay answered a different batch" : err.getMessage());
            return;
          }
          long now = System.nanoTime();
          cluster.replicationLag().pending(dc, -entries.size());
          for (int i = 0; i < entries.size(); i++) {
            long lagNanos = now - since.get(i);
            queue.lag.record(lagNanos, TimeUnit.NANOSECONDS);
            cluster.replicationLag().record(dc, TimeUnit.NANOSECONDS.toMillis(lagNanos));
            promises.get(i).complete(reply.stored()[i]);
          }
        });
  }

  /** The batch did not get through: each entry becomes a hint for each of that DC's home replicas. */
  private void failed(String dc, Queue queue, List<RelayBatch.Entry> entries, List<Promise<Integer>> promises,
      String reason) {
    LOG.log(Level.FINE, () -> "relay to " + dc + " failed (" + reason + "); " + entries.size() + " writes kept as hints");
    queue.failed.increment(entries.size());
    cluster.replicationLag().pending(dc, -entries.size());
    RingState ring = cluster.ringState();
    for (int i = 0; i < entries.size(); i++) {
      RelayBatch.Entry e = entries.get(i);
      List<String> homes = ring == null || ring.replication() == null ? List.of()
          : ring.replication().homesByDc(ring.ring(), e.partition()).getOrDefault(dc, List.of());
      for (String home : homes) {
        replicas.keepHint(home, e.partition(), e.key(), e.siblings());
      }
      promises.get(i).fail("replication to " + dc + " failed: " + reason);
    }
  }

  /**
   * A live member of {@code dc}: coordinators spread over the DC's nodes (by their own id), and
   * after a failure move on to the next one.
   */
  private String relayFor(String dc, int skip) {
    RingState ring = cluster.ringState();
    if (ring == null) {
      return null;
    }
    List<String> live = new ArrayList<>();
    ring.dcs().forEach((node, nodeDc) -> {
      Membership m = ring.membership(node);
      if (nodeDc.equals(dc) && m != null && m != Membership.LEFT && !node.equals(self)
          && cluster.liveness().status(node) != MemberStatus.DOWN) {
        live.add(node);
      }
    });
    if (live.isEmpty()) {
      return null;
    }
    return live.get(Math.floorMod(spread + skip, live.size()));
  }
}
