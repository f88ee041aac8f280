package io.ringkv.antientropy;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.ring.RingState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One full anti-entropy pass: every partition this node is a home replica of is compared with
 * every other home that is up, at most {@code maxExchanges} partitions at a time. Within a
 * partition the peers go one after the other; if a later peer gave this node something, the
 * earlier ones are compared once more, so after the pass all the partition's live homes hold the
 * same data (unless writes arrived meanwhile). Then, where this node is the partition's first
 * home, the {@link Reaper} removes the tombstones every home holds.
 */
final class PassRunner {
  private static final Logger LOG = Logger.getLogger(PassRunner.class.getName());

  private final String self;
  private final int n;
  private final ClusterState cluster;
  private final AntiEntropyReplica replica;
  private final AeChannel channel;
  private final AeStats stats;
  private final Reaper reaper;
  private final Context context;
  private final Clock clock;
  private final int maxExchanges;
  private int rotation;

  PassRunner(String self, int n, ClusterState cluster, AntiEntropyReplica replica, AeChannel channel, AeStats stats,
      Reaper reaper, Context context, Clock clock, int maxExchanges) {
    this.self = self;
    this.n = n;
    this.cluster = cluster;
    this.replica = replica;
    this.channel = channel;
    this.stats = stats;
    this.reaper = reaper;
    this.context = context;
    this.clock = clock;
    this.maxExchanges = maxExchanges;
  }

  /** The partitions whose current homes include this node, in order. */
  List<Integer> homePartitions() {
    RingState ring = cluster.ringState();
    List<Integer> out = new ArrayList<>();
    if (ring != null) {
      for (int p = 0; p < ring.partitions(); p++) {
        if (ring.ring().preferenceList(p, n).contains(self)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** Runs a pass; completes when every partition had its turn (failed exchanges are counted, not fatal). */
  Future<Void> run() {
    List<Integer> partitions = homePartitions();
    // Each pass starts somewhere else, so a pass cut short by a restart does not favour the same partitions.
    int offset = partitions.isEmpty() ? 0 : rotation++ % partitions.size();
    List<Integer> order = new ArrayList<>(partitions.subList(offset, partitions.size()));
    order.addAll(partitions.subList(0, offset));
    stats.passStarted(clock.millis(), order.size());
    int[] next = {0};
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(maxExchanges, order.size()); i++) {
      Promise<Void> lane = Promise.promise();
      lane(order, next, lane);
      lanes.add(lane.future());
    }
    return Future.join(lanes).<Void>mapEmpty().eventually(() -> {
      stats.passFinished(clock.millis());
      return Future.succeededFuture();
    });
  }

  private void lane(List<Integer> order, int[] next, Promise<Void> done) {
    if (next[0] >= order.size()) {
      done.complete();
      return;
    }
    int partition = order.get(next[0]++);
    syncPartition(partition).onComplete(r -> {
      if (r.failed()) {
        LOG.log(Level.FINE, "anti-entropy of partition " + partition + " failed", r.cause());
      }
      context.runOnContext(v -> lane(order, next, done)); // no deep stack when partitions finish at once
    });
  }

  /** Compares the partition with each live peer home; a second round where a later peer gave something. */
  Future<Void> syncPartition(int partition) {
    RingState ring = cluster.ringState();
    if (ring == null) {
      return Future.succeededFuture();
    }
    List<String> homes = ring.ring().preferenceList(partition, n);
    List<String> peers = new ArrayList<>();
    for (String home : homes) {
      if (!home.equals(self) && cluster.liveness().status(home) == MemberStatus.UP) {
        peers.add(home);
      }
    }
    if (!homes.contains(self) || peers.isEmpty()) {
      return Future.succeededFuture();
    }
    boolean[] allSynced = {true};
    int[] lastGiver = {-1};
    return exchangeEach(partition, peers, 0, allSynced, lastGiver)
        .compose(v -> lastGiver[0] > 0
            ? exchangeEach(partition, peers.subList(0, lastGiver[0]), 0, allSynced, new int[] {-1})
            : Future.succeededFuture())
        .compose(v -> {
          boolean everyHome = allSynced[0] && peers.size() == homes.size() - 1;
          boolean first = homes.get(0).equals(self);
          boolean settled = !ring.changeInProgress() && cluster.previousRing() == null;
          return everyHome && first && settled && replica.trees().tombstoneKeys(partition) > 0
              ? reaper.round(partition, peers) : Future.succeededFuture();
        });
  }

  private Future<Void> exchangeEach(int partition, List<String> peers, int i, boolean[] allSynced, int[] lastGiver) {
    if (i >= peers.size()) {
      return Future.succeededFuture();
    }
    String peer = peers.get(i);
    Exchange exchange = new Exchange(channel, replica, context, partition, peer);
    return exchange.run().transform(r -> {
      if (r.succeeded()) {
        Exchange.Outcome outcome = r.result();
        stats.exchanged(partition, peer, outcome, clock.millis());
        allSynced[0] &= outcome.result() != Exchange.Result.SKIPPED;
        if (outcome.keysChanged() > 0) {
          lastGiver[0] = i;
        }
        if (outcome.result() == Exchange.Result.SKIPPED) {
          LOG.fine(() -> "anti-entropy of partition " + partition + " with " + peer + " skipped: " + outcome.reason());
        }
      } else {
        stats.failedExchange(partition, exchange.bytes());
        allSynced[0] = false;
        LOG.log(Level.FINE, "anti-entropy of partition " + partition + " with " + peer + " failed: "
            + r.cause().getMessage());
      }
      return exchangeEach(partition, peers, i + 1, allSynced, lastGiver);
    });
  }
}
