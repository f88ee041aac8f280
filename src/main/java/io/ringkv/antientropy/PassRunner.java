package io.ringkv.antientropy;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.merkle.TreeShape;
import io.ringkv.messaging.AeMessages;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.ring.RingState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
  static final int ROOTS_PER_MESSAGE = 1_024;
  static final int BUSY_TRIES = 300;
  static final long BUSY_WAIT_MS = 100;

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
  private final PartitionLeases leases;
  private final Random random = new Random();
  private int rotation;
  /** Per peer: partition to this node's root when the peer reported the same root at the pass's start. */
  private Map<String, Map<Integer, Long>> agreeing = new HashMap<>();

  PassRunner(String self, int n, ClusterState cluster, AntiEntropyReplica replica, AeChannel channel, AeStats stats,
      Reaper reaper, Context context, Clock clock, int maxExchanges, PartitionLeases leases) {
    this.leases = leases;
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
        if (ring.homes(p, n).contains(self)) {
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
    agreeing = new HashMap<>();
    int[] next = {0};
    return compareRoots(partitions).compose(v -> {
      List<Future<Void>> lanes = new ArrayList<>();
      for (int i = 0; i < Math.min(maxExchanges, order.size()); i++) {
        Promise<Void> lane = Promise.promise();
        lane(order, next, lane);
        lanes.add(lane.future());
      }
      return Future.join(lanes);
    }).<Void>mapEmpty().eventually(() -> {
      stats.passFinished(clock.millis());
      return Future.succeededFuture();
    });
  }

  /**
   * Asks every live peer for the roots of all the partitions it shares with this node, in one
   * message per 1,024 partitions: where they agree, the partition needs no exchange with it.
   */
  private Future<Void> compareRoots(List<Integer> partitions) {
    RingState ring = cluster.ringState();
    Map<String, List<Integer>> shared = new TreeMap<>();
    for (int p : partitions) {
      for (String home : ring.homes(p, n)) {
        if (!home.equals(self) && cluster.liveness().status(home) == MemberStatus.UP) {
          shared.computeIfAbsent(home, h -> new ArrayList<>()).add(p);
        }
      }
    }
    List<Future<Void>> asks = new ArrayList<>();
    shared.forEach((peer, list) -> {
      for (int from = 0; from < list.size(); from += ROOTS_PER_MESSAGE) {
        List<Integer> chunk = list.subList(from, Math.min(list.size(), from + ROOTS_PER_MESSAGE));
        asks.add(compareRoots(peer, chunk.stream().mapToInt(Integer::intValue).toArray()));
      }
    });
    return Future.join(asks).mapEmpty();
  }

  private Future<Void> compareRoots(String peer, int[] partitions) {
    AeChannel.Traffic traffic = new AeChannel.Traffic();
    TreeShape shape = replica.trees().shape();
    return channel.<AeMessages.RootsReply>ask(peer, new AeMessages.RootsRequest(shape.fanout(), shape.depth(),
        partitions), traffic).map(reply -> {
          stats.passRootBytes(traffic.bytes);
          if (reply.status() == AeMessages.TreeStatus.OK && reply.roots().length == partitions.length) {
            for (int i = 0; i < partitions.length; i++) {
              Long mine = replica.trees().root(partitions[i]);
              if (mine != null && mine.equals(reply.roots()[i])) {
                agreeing.computeIfAbsent(peer, x -> new HashMap<>()).put(partitions[i], mine);
              }
            }
          }
          return (Void) null;
        }).otherwise(err -> {
          stats.passRootBytes(traffic.bytes);
          LOG.log(Level.FINE, "roots of " + peer + " not compared: " + err.getMessage());
          return null;
        });
  }

  /** Whether the peer reported this node's current root of the partition at the pass's start. */
  private boolean knownEqual(String peer, int partition) {
    Long agreed = agreeing.getOrDefault(peer, Map.of()).get(partition);
    return agreed != null && agreed.equals(replica.trees().root(partition));
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
    List<String> homes = ring.homes(partition, n);
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
    if (knownEqual(peer, partition)) {
      stats.exchanged(partition, peer, new Exchange.Outcome(Exchange.Result.EQUAL, null, 0, 0, 0, 0), clock.millis());
      return exchangeEach(partition, peers, i + 1, allSynced, lastGiver);
    }
    return exchangeOnce(partition, peer, 0).transform(r -> {
      if (r.succeeded()) {
        Exchange.Outcome outcome = r.result();
        stats.exchanged(partition, peer, outcome, clock.millis());
        boolean synced = outcome.result() == Exchange.Result.EQUAL || outcome.result() == Exchange.Result.REPAIRED;
        allSynced[0] &= synced;
        if (outcome.keysChanged() > 0) {
          lastGiver[0] = i;
        }
        if (!synced) {
          LOG.fine(() -> "anti-entropy of partition " + partition + " with " + peer + " skipped: " + outcome.reason());
        }
      } else {
        allSynced[0] = false;
        LOG.log(Level.FINE, "anti-entropy of partition " + partition + " with " + peer + " failed: "
            + r.cause().getMessage());
      }
      return exchangeEach(partition, peers, i + 1, allSynced, lastGiver);
    });
  }

  /**
   * One exchange under the partition's lease ({@link PartitionLeases}): while this node or the
   * peer is in another exchange of it, waits a little (randomly, so two nodes that keep meeting
   * part) and tries again, at most {@code BUSY_TRIES} times.
   */
  private Future<Exchange.Outcome> exchangeOnce(int partition, String peer, int tries) {
    if (!leases.tryInitiate(partition, peer, clock.millis())) {
      return retryLater(partition, peer, tries);
    }
    Exchange exchange = new Exchange(channel, replica, context, partition, peer);
    return exchange.run()
        .onFailure(err -> stats.failedExchange(partition, exchange.bytes()))
        .eventually(() -> {
          leases.release(partition, peer);
          return Future.succeededFuture();
        })
        .compose(outcome -> outcome.result() == Exchange.Result.BUSY ? retryLater(partition, peer, tries)
            : Future.succeededFuture(outcome));
  }

  private Future<Exchange.Outcome> retryLater(int partition, String peer, int tries) {
    if (tries >= BUSY_TRIES) {
      return Future.succeededFuture(new Exchange.Outcome(Exchange.Result.SKIPPED, "busy with other exchanges",
          0, 0, 0, 0));
    }
    long wait = BUSY_WAIT_MS + random.nextInt((int) BUSY_WAIT_MS * 3);
    return context.owner().timer(wait).compose(v -> exchangeOnce(partition, peer, tries + 1));
  }
}
