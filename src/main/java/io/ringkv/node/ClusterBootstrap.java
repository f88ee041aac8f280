package io.ringkv.node;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.cluster.MembershipTable;
import io.ringkv.config.ConfigException;
import io.ringkv.config.RingkvConfig;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.ring.RingState;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * A node's view of the cluster at start: the members it remembers (down until they gossip) and
 * the ring it last agreed on. A node with a new data dir either founds the cluster (it runs
 * alone, has no seeds, or is the first of its seeds: ring version 1, every partition its own) or
 * holds no ring until it learns the cluster's from the others, and then joins (DESIGN.md
 * decision 7: seeing a new node never changes the ring by itself). Blocking (reads the data dir).
 */
final class ClusterBootstrap {
  private static final Logger LOG = Logger.getLogger(ClusterBootstrap.class.getName());

  private ClusterBootstrap() {}

  static ClusterState open(RingkvConfig config, NodeRecords records, StoreMetrics metrics, Clock clock) {
    long now = clock.millis();
    List<MemberInfo> remembered = records.loadMembers();
    long joinedAt = remembered.stream().filter(m -> m.id().equals(config.id())).mapToLong(MemberInfo::joinedAtMs)
        .findFirst().orElse(now);
    MembershipTable membership = new MembershipTable(
        new MemberInfo(config.id(), config.advertisedHost(), config.httpPort(), config.dc(), joinedAt, now, 0),
        config.suspectAfterMs(), config.downAfterMs(), now);
    membership.restore(remembered);
    if (config.multiDc()) {
      membership.remoteDcTimeouts(config.remoteDcSuspectAfterMs(), config.remoteDcDownAfterMs());
    }
    RingState ring = records.loadRing();
    if (ring != null && ring.partitions() != config.partitions()) {
      throw new ConfigException("the data dir " + config.dataDir() + " holds a ring of " + ring.partitions()
          + " partitions, but partitions is " + config.partitions() + " (it is fixed for the cluster's life)");
    }
    if (ring != null) {
      requireSameReplication(config, ring);
    }
    if (ring == null && founds(config)) {
      ring = RingState.founding(config.partitions(), config.id(), config.dc(), config.replicationPlan());
      records.saveRing(ring);
      LOG.info("node " + config.id() + " founds a new cluster: ring version 1, all " + config.partitions()
          + " partitions");
    }
    ClusterState cluster = new ClusterState(config.id(), config.n(), ring, membership);
    cluster.onRing(next -> {
      try {
        requireSameReplication(config, next);
      } catch (ConfigException e) {
        // Another node was started with other replicas per DC: this node cannot place keys as they do.
        System.err.println("ringkv: " + e.getMessage());
        new Thread(() -> System.exit(2), "ringkv-config-exit").start();
      }
    });
    for (MemberStatus status : MemberStatus.values()) {
      metrics.gauge("ringkv.gossip.members", "Members by status as this node's failure detector sees them",
          status.label(), () -> cluster.liveness().statuses().values().stream().filter(s -> s == status).count());
    }
    metrics.gauge("ringkv.ring.version", "Version of the ring this node holds (0: none yet)",
        () -> cluster.ringState() == null ? 0 : cluster.ringState().version());
    metrics.gauge("ringkv.ring.moving.partitions", "Partitions the running membership change moves",
        () -> cluster.ringState() == null ? 0 : cluster.ringState().movingPartitions());
    return cluster;
  }

  /** Every node of a cluster must be given the same {@code --replication}; the agreed ring records it. */
  static void requireSameReplication(RingkvConfig config, RingState ring) {
    String theirs = ring.replication() == null ? "" : ring.replication().text();
    String mine = config.replicationPlan().multiDc() ? config.replicationPlan().text() : "";
    if (!theirs.equals(mine)) {
      throw new ConfigException("replication " + (mine.isEmpty() ? "(none, --n " + config.n() + ")" : mine)
          + " differs from the cluster's " + (theirs.isEmpty() ? "(none: one ring)" : theirs)
          + "; every node must be given the same --replication");
    }
  }

  /** Whether a node with a new data dir founds the cluster: it is alone, or the first of its seeds. */
  static boolean founds(RingkvConfig config) {
    if ("none".equals(config.join()) || config.seeds().isEmpty()) {
      return true;
    }
    return config.seeds().get(0).equals(config.advertisedHost() + ":" + config.clusterPort());
  }
}
