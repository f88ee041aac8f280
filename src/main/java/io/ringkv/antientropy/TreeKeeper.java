package io.ringkv.antientropy;

import io.ringkv.cluster.ClusterState;
import io.ringkv.merkle.PartitionTrees;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.ring.Ring;
import io.ringkv.ring.RingState;
import io.vertx.core.Context;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a tree for exactly the partitions this node replicates: those it is a home of in the
 * current ring, and, while a membership change runs, those it will be a home of (the copy that
 * arrives then updates the tree like any write). Missing trees are built from range scans, one
 * partition at a time, off the event loop; trees of partitions it no longer replicates are dropped.
 */
final class TreeKeeper {
  private static final Logger LOG = Logger.getLogger(TreeKeeper.class.getName());

  private final String self;
  private final int n;
  private final ClusterState cluster;
  private final AntiEntropyReplica replica;
  private final Context context;
  private final Clock clock;
  private final Set<Integer> queue = new LinkedHashSet<>();
  private boolean building;
  private long roundStartedMs = -1;
  private long roundKeys;
  private int roundTrees;

  TreeKeeper(String self, int n, ClusterState cluster, AntiEntropyReplica replica, Context context, Clock clock) {
    this.self = self;
    this.n = n;
    this.cluster = cluster;
    this.replica = replica;
    this.context = context;
    this.clock = clock;
  }

  /** On the event loop: reconciles the trees with the ring, and starts the next build if none runs. */
  void tick() {
    RingState ring = cluster.ringState();
    if (ring == null) {
      return;
    }
    PartitionTrees trees = replica.trees();
    Ring future = ring.futureRing();
    for (int p = 0; p < ring.partitions(); p++) {
      boolean wanted = ring.homes(p, n).contains(self)
          || future != null && ring.homes(future, p, n).contains(self);
      PartitionTrees.State state = trees.state(p);
      if (wanted && state == PartitionTrees.State.NONE && !queue.contains(p)) {
        queue.add(p);
      } else if (!wanted && state != PartitionTrees.State.NONE) {
        trees.drop(p);
        queue.remove(p);
      }
    }
    buildNext();
  }

  boolean busy() {
    return building || !queue.isEmpty();
  }

  private void buildNext() {
    if (building) {
      return;
    }
    Iterator<Integer> first = queue.iterator();
    Integer partition = first.hasNext() ? first.next() : null;
    if (partition != null) {
      first.remove();
    }
    if (partition == null) {
      if (roundStartedMs >= 0) {
        long took = clock.millis() - roundStartedMs;
        LOG.info("node " + self + " built " + roundTrees + " Merkle trees over " + roundKeys + " keys in " + took
            + " ms (" + replica.trees().memoryBytes() / 1024 + " KiB of trees)");
        roundStartedMs = -1;
      }
      return;
    }
    if (roundStartedMs < 0) {
      roundStartedMs = clock.millis();
      roundKeys = 0;
      roundTrees = 0;
    }
    building = true;
    context.executeBlocking(() -> replica.buildTree(partition), false).onComplete((keys, err) -> {
      building = false;
      if (err != null) {
        LOG.log(Level.WARNING, "node " + self + " could not build the Merkle tree of partition " + partition
            + "; it is tried again", err);
        replica.trees().drop(partition);
      } else if (keys >= 0) {
        roundKeys += keys;
        roundTrees++;
      }
      buildNext();
    });
  }
}
