package io.ringkv.gossip;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.Liveness;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.MembershipTable;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.GossipDigest;
import io.ringkv.metrics.StoreMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Push-pull gossip over the clustered event bus. Each round this node bumps its heartbeat and
 * exchanges digests with a few random peers; every few rounds it also publishes an announcement so
 * that nodes which do not know each other yet meet (Hazelcast only carries the bytes). Liveness
 * comes from heartbeats, never from Hazelcast membership; each node's record also says which ring
 * version it holds, which is how the others learn that a newer ring exists (the membership
 * verticle then fetches it). Gossip never changes the ring itself.
 */
public final class GossipVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(GossipVerticle.class.getName());
  private static final int FANOUT = 3;
  /** How often the request path's liveness snapshot is renewed (it bounds detection time too). */
  static final long LIVENESS_REFRESH_MS = 100;
  private static final int ANNOUNCE_EVERY_ROUNDS = 4;

  private final RingkvConfig config;
  private final String nodeId;
  private final ClusterState cluster;
  private final Clock clock;
  private final StoreMetrics metrics;
  private final Consumer<List<MemberInfo>> membersChanged;
  private long rounds;

  /** @param membersChanged told (on this verticle's loop) when new members joined, to persist them */
  public GossipVerticle(RingkvConfig config, ClusterState cluster, Clock clock, StoreMetrics metrics,
      Consumer<List<MemberInfo>> membersChanged) {
    this.config = config;
    this.nodeId = config.id();
    this.cluster = cluster;
    this.clock = clock;
    this.metrics = metrics;
    this.membersChanged = membersChanged;
  }

  @Override
  public Future<?> start() {
    Future<Void> direct = vertx.eventBus().<GossipDigest>consumer(Addresses.gossip(nodeId), this::exchange)
        .completion();
    Future<Void> announce = vertx.eventBus().<GossipDigest>consumer(Addresses.GOSSIP_ANNOUNCE, msg -> {
      if (!msg.body().from().equals(nodeId)) {
        receive(msg.body());
      }
    }).completion();
    return Future.all(direct, announce).onSuccess(v -> {
      round();
      vertx.setPeriodic(config.gossipIntervalMs(), id -> round());
      vertx.setPeriodic(Math.min(LIVENESS_REFRESH_MS, config.gossipIntervalMs()), id -> refreshLiveness());
    });
  }

  /** Publishes a new liveness snapshot for the request path; counts and logs each status change. */
  private void refreshLiveness() {
    for (Liveness.Transition t : cluster.refreshLiveness(clock.millis())) {
      metrics.counter("ringkv.gossip.transitions", "Failure detector status changes of other members",
          "from", t.from().label(), "to", t.to().label()).increment();
      LOG.info("node " + nodeId + " sees " + t.node() + " " + t.to().label() + " (was " + t.from().label() + ")");
    }
  }

  private void round() {
    MembershipTable table = cluster.membership();
    table.beat(clock.millis());
    GossipDigest digest = new GossipDigest(nodeId, table.digest());
    if (rounds++ % ANNOUNCE_EVERY_ROUNDS == 0) {
      vertx.eventBus().publish(Addresses.GOSSIP_ANNOUNCE, digest);
    }
    List<String> peers = new ArrayList<>(table.peers());
    Collections.shuffle(peers, ThreadLocalRandom.current());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.gossipIntervalMs() * 2);
    for (String peer : peers.subList(0, Math.min(FANOUT, peers.size()))) {
      vertx.eventBus().<GossipDigest>request(Addresses.gossip(peer), digest, options)
          .onSuccess(reply -> receive(reply.body()));
      // A failed exchange needs no handling: silence is what the failure detector measures.
    }
  }

  private void exchange(Message<GossipDigest> message) {
    receive(message.body());
    message.reply(new GossipDigest(nodeId, cluster.membership().digest()));
  }

  private void receive(GossipDigest digest) {
    boolean added = cluster.membership().merge(digest.members(), clock.millis());
    // A member heard from again counts as up on the request path at once, not at the next refresh.
    refreshLiveness();
    if (added) {
      membersChanged.accept(cluster.membership().digest());
    }
  }
}
