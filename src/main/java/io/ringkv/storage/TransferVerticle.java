package io.ringkv.storage;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.PartitionPage;
import io.ringkv.messaging.PartitionScan;
import io.ringkv.ring.Membership;
import io.ringkv.ring.RingState;
import io.ringkv.version.SiblingSetCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's side of a membership change's data movement. While a change runs, it copies every
 * partition it will be a home replica of but is not yet: it pulls pages of the partition from a
 * current home that is up (any of them: if one dies the copy goes on from another, at the same
 * key) and merges them like replication does; writes meanwhile reach it directly (it is an extra
 * write target), so the copy is complete when the last page is in. Progress survives restarts
 * ({@link TransferProgress}); when every copy is in, its gossip says so and the change can end.
 * After a change, once every member has switched, it drops the partitions it no longer replicates.
 * Paced in bytes per second, so clients keep their share.
 */
public final class TransferVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(TransferVerticle.class.getName());
  static final long TICK_MS = 300;
  static final int PAGE_KEYS = 512;
  static final int PAGE_BYTES = 512 * 1024;
  static final int PARALLEL = 8;

  private final ClusterState cluster;
  private final ReplicaStore store;
  private final Clock clock;
  private final long bytesPerSecond;
  private final long timeoutMs;
  private final String self;
  private final Set<Integer> running = new HashSet<>();
  private TransferProgress progress;
  private HandoffPacer pacer;
  private long droppedFor;
  private boolean dropping;

  public TransferVerticle(ClusterState cluster, ReplicaStore store, Clock clock, long bytesPerSecond, long timeoutMs) {
    this.cluster = cluster;
    this.store = store;
    this.clock = clock;
    this.bytesPerSecond = bytesPerSecond;
    this.timeoutMs = timeoutMs;
    this.self = cluster.selfId();
  }

  @Override
  public Future<?> start() {
    pacer = new HandoffPacer((int) Math.min(Integer.MAX_VALUE, bytesPerSecond), clock.millis());
    return vertx.executeBlocking(() -> TransferProgress.load(store.engine())).onSuccess(p -> {
      progress = p;
      vertx.setPeriodic(TICK_MS, id -> tick());
    });
  }

  private void tick() {
    RingState ring = cluster.ringState();
    if (ring == null) {
      return;
    }
    // Both wait until every member holds this ring: then every coordinator writes to the nodes
    // copying (so no write slips past a page already copied), and none still writes here.
    if (!cluster.everyoneHolds(ring.version())) {
      return;
    }
    if (ring.changeInProgress()) {
      copy(ring);
    } else if (cluster.previousRing() == null && droppedFor != ring.version() && !dropping) {
      dropUnreplicated(ring);
    }
  }

  private void copy(RingState ring) {
    if (progress.version() != ring.version()) {
      progress = progress.restart(ring.version());
      running.clear();
    }
    List<RingState.Transfer> mine = new ArrayList<>();
    for (RingState.Transfer t : ring.transfers(cluster.n())) {
      if (t.target().equals(self) && !progress.isDone(t.partition())) {
        mine.add(t);
      }
    }
    if (mine.isEmpty()) {
      markDone(ring.version());
      return;
    }
    for (RingState.Transfer t : mine) {
      if (running.size() >= PARALLEL) {
        return;
      }
      if (running.add(t.partition())) {
        long version = ring.version();
        pull(t, version).onComplete((ok, err) -> {
          running.remove(t.partition());
          if (err != null) {
            LOG.log(Level.FINE, "copy of partition " + t.partition() + " paused: " + err.getMessage());
          } else if (cluster.ringState() != null && cluster.ringState().version() == version) {
            copy(cluster.ringState()); // the next partition at once, not at the next tick
          }
        });
      }
    }
  }

  /** Copies the partition page by page from a live current home, resuming after the last key copied. */
  private Future<Void> pull(RingState.Transfer t, long version) {
    String source = t.sources().stream()
        .filter(s -> !s.equals(self) && cluster.liveness().status(s) == MemberStatus.UP)
        .findFirst().orElse(null);
    if (source == null || progress.version() != version) {
      return Future.failedFuture("no current home of partition " + t.partition() + " is up");
    }
    PartitionScan scan = new PartitionScan(t.partition(), progress.cursor(t.partition()), PAGE_KEYS, PAGE_BYTES);
    return vertx.eventBus().<PartitionPage>request(Addresses.storage(source), scan,
            new DeliveryOptions().setSendTimeout(timeoutMs))
        .compose(reply -> merge(t.partition(), reply.body()).map(reply.body()))
        .compose(page -> {
          if (progress.version() != version) {
            return Future.failedFuture("the ring changed while partition " + t.partition() + " was copied");
          }
          byte[] last = page.entries().isEmpty() ? progress.cursor(t.partition())
              : page.entries().get(page.entries().size() - 1).key();
          // Advanced here, on this verticle's thread, from the current progress: up to PARALLEL
          // copies advance it concurrently, and a snapshot taken before the save would undo the
          // pages the others recorded meanwhile. Saves run in order, each with all advances so far.
          progress = progress.advance(t.partition(), last, page.entries().size(), page.bytes(), page.end());
          TransferProgress snapshot = progress;
          return vertx.executeBlocking(() -> {
            snapshot.save(store.engine());
            return snapshot;
          }).compose(saved -> {
            publish(t, source, version);
            // Every page pays, the last one too: a small partition is often a single page.
            return paced(page.bytes()).compose(v -> page.end() ? Future.succeededFuture() : pull(t, version));
          });
        });
  }

  /** Merges a page into this node's store as replication would (a concurrent version stays a sibling). */
  private Future<Void> merge(int partition, PartitionPage page) {
    List<Future<?>> merges = new ArrayList<>(page.entries().size());
    for (PartitionPage.Entry e : page.entries()) {
      merges.add(Future.fromCompletionStage(store.merge(partition, e.key(), SiblingSetCodec.decode(e.record())),
          context));
    }
    return Future.all(merges).mapEmpty();
  }

  private Future<Void> paced(int bytes) {
    long wait = pacer.take(Math.max(1, bytes), clock.millis());
    return wait == 0 ? Future.succeededFuture() : vertx.timer(wait).compose(v -> paced(bytes));
  }

  private void publish(RingState.Transfer t, String source, long version) {
    vertx.eventBus().publish(Addresses.TRANSFER_PROGRESS, new JsonObject()
        .put("version", version).put("partition", t.partition()).put("from", source).put("to", self)
        .put("keysSent", progress.keys(t.partition())).put("bytesSent", progress.bytes(t.partition()))
        .put("done", progress.isDone(t.partition())));
  }

  /** Gossip tells the others that this node holds every copy the change at {@code version} needs. */
  private void markDone(long version) {
    MemberInfo me = cluster.membership().self();
    if (me.transfersDoneFor() < version) {
      cluster.membership().updateSelf(me.withRing(me.ringVersion(), version));
      LOG.info("node " + self + " holds every partition copy that ring version " + version + " needs");
    }
  }

  /** Drops what this node no longer replicates, once every member uses the ring that says so. */
  private void dropUnreplicated(RingState ring) {
    dropping = true;
    long version = ring.version();
    Membership me = ring.membership(self);
    vertx.executeBlocking(() -> {
      long deleted = 0;
      for (int p = 0; p < ring.partitions(); p++) {
        boolean home = me != null && me != Membership.LEFT && ring.homes(p, cluster.n()).contains(self);
        if (!home && store.holdsPartition(p)) {
          deleted += store.dropPartition(p);
        }
      }
      return deleted;
    }, false).onComplete((deleted, err) -> {
      dropping = false;
      if (err != null) {
        LOG.log(Level.WARNING, "node " + self + " could not drop the partitions it no longer replicates", err);
      } else {
        droppedFor = version;
        if (deleted > 0) {
          LOG.info("node " + self + " dropped " + deleted + " keys it no longer replicates (ring version " + version
              + ")");
        }
      }
    });
  }
}
