package io.ringkv.membership;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.RingStore;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.RingVote;
import io.ringkv.messaging.RingVoteAnswer;
import io.ringkv.ring.RingAcceptor;
import io.ringkv.ring.RingCodec;
import io.ringkv.ring.RingState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ring membership on one node (DESIGN.md decision 7): its acceptor in the agreement on each next
 * ring version, its proposals (joins, leaves, removes from the API; its own join when
 * {@code --auto-join}; the end of a change once every copy is made), and how it learns rings the
 * others agreed on (gossip says which version each node holds; it fetches newer ones). Every ring
 * it takes is persisted before it is used.
 */
public final class MembershipVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(MembershipVerticle.class.getName());
  static final long TICK_MS = 500;

  private final RingkvConfig config;
  private final String self;
  private final ClusterState cluster;
  private final RingStore store;
  private final TransferViews transfers;
  private final BooleanSupplier holdsNoData;
  private RingAcceptor acceptor;
  private RingProposer proposer;
  private MembershipChanges changes;
  private boolean busy;

  /** @param holdsNoData whether this node's store holds no data at all (blocking: called off the event loop) */
  public MembershipVerticle(RingkvConfig config, ClusterState cluster, RingStore store, TransferViews transfers,
      BooleanSupplier holdsNoData) {
    this.config = config;
    this.self = config.id();
    this.cluster = cluster;
    this.store = store;
    this.transfers = transfers;
    this.holdsNoData = holdsNoData;
  }

  @Override
  public Future<?> start() {
    proposer = new RingProposer(vertx, self);
    changes = new MembershipChanges(cluster, this::propose);
    return vertx.executeBlocking(store::loadAcceptor).compose(saved -> {
      RingState ring = cluster.ringState();
      acceptor = saved != null ? RingAcceptor.decode(saved) : new RingAcceptor(0);
      acceptor.committed(ring == null ? 0 : ring.version());
      Future<Void> votes = vertx.eventBus().<RingVote>consumer(Addresses.membership(self), this::onVote).completion();
      Future<Void> requests = vertx.eventBus().<JsonObject>localConsumer(Addresses.membershipChanges(self),
          msg -> changes.handle(msg.body()).onComplete((reply, err) -> msg.reply(err == null ? reply
              : MembershipChanges.answer(500, "internal", "membership change failed: " + err.getMessage()))))
          .completion();
      Future<Void> progress = vertx.eventBus().<JsonObject>consumer(Addresses.TRANSFER_PROGRESS,
          msg -> transfers.record(msg.body())).completion();
      return Future.all(votes, requests, progress);
    }).onSuccess(v -> vertx.setPeriodic(TICK_MS, id -> tick()));
  }

  // ---------------------------------------------------------------- acceptor

  private void onVote(Message<RingVote> message) {
    RingVote vote = message.body();
    switch (vote.kind()) {
      case PREPARE, ACCEPT -> {
        RingAcceptor.Answer a = vote.kind() == RingVote.Kind.PREPARE ? acceptor.prepare(vote.slot(), vote.ballot())
            : acceptor.accept(vote.slot(), vote.ballot(), vote.value());
        byte[] state = acceptor.encode();
        // The promise must survive a crash before anyone relies on it.
        vertx.executeBlocking(() -> {
          store.saveAcceptor(state);
          return null;
        }).onComplete((ok, err) -> {
          if (err != null) {
            message.fail(500, "could not persist the ring vote: " + err.getMessage());
          } else {
            message.reply(new RingVoteAnswer(a.ok(), a.promised(), a.acceptedBallot(), a.acceptedValue(),
                a.committed()));
          }
        });
      }
      case FETCH -> {
        RingState ring = cluster.ringState();
        message.reply(new RingVoteAnswer(ring != null, null, null, ring == null ? null : RingCodec.encodeState(ring),
            ring == null ? 0 : ring.version()));
      }
      case COMMIT -> take(RingCodec.decodeState(vote.value())).onComplete((ok, err) ->
          message.reply(new RingVoteAnswer(err == null, null, null, null, acceptor.committed())));
    }
  }

  /** Persists and adopts {@code ring} if it is newer than the one held. */
  private Future<Boolean> take(RingState ring) {
    RingState held = cluster.ringState();
    if (held != null && ring.version() <= held.version()) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> {
      store.saveRing(ring);
      return null;
    }).map(v -> {
      boolean taken = cluster.adopt(ring);
      if (taken) {
        acceptor.committed(ring.version());
        LOG.info("node " + self + " holds ring version " + ring.version() + ": " + describe(ring));
      }
      return taken;
    });
  }

  // ---------------------------------------------------------------- proposals

  /**
   * Decides the version after {@code base} with {@code next} as this node's proposal; takes and
   * announces whatever was chosen. Completes with the chosen ring.
   */
  Future<RingState> propose(RingState base, RingState next) {
    if (busy) {
      return Future.failedFuture(new MembershipChanges.BusyException("this node is already proposing a change"));
    }
    busy = true;
    return proposer.propose(base, next)
        .compose(chosen -> take(chosen).map(chosen))
        .onSuccess(this::announce)
        .onFailure(err -> {
          if (err instanceof RingProposer.NoMajorityException nm && nm.aheadVersion > base.version()) {
            learn();
          }
        })
        .eventually(() -> {
          busy = false;
          return Future.succeededFuture();
        });
  }

  /** Tells every member at once (gossip would tell them within a round or two anyway). */
  private void announce(RingState ring) {
    RingVote commit = RingVote.commit(RingCodec.encodeState(ring));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(RingProposer.VOTE_TIMEOUT_MS);
    for (MemberInfo m : cluster.membership().digest()) {
      if (!m.id().equals(self)) {
        vertx.eventBus().request(Addresses.membership(m.id()), commit, options);
      }
    }
  }

  // ---------------------------------------------------------------- background duties

  private void tick() {
    learn();
    RingState ring = cluster.ringState();
    if (ring == null || busy) {
      return;
    }
    if (ring.changeInProgress() && transfers.allDone(ring)) {
      propose(ring, ring.finish()).onFailure(err -> LOG.log(Level.FINE, "finishing the change: " + err.getMessage()));
    } else if (!ring.changeInProgress() && config.autoJoin() && ring.membership(self) == null) {
      propose(ring, ring.join(self, config.dc())).onFailure(err -> LOG.log(Level.FINE, "joining: " + err.getMessage()));
    }
    if (cluster.previousRing() != null && cluster.everyoneHolds(ring.version())) {
      cluster.forgetPreviousRing();
    }
  }

  private final Set<String> fetching = new HashSet<>();

  /**
   * Fetches the ring from any member whose gossip says it holds a newer version. A node alone in
   * a ring it founded and never used (nodes that found each other only through DNS may each have
   * founded one) also looks at the rings of nodes outside it: see {@link #mergeLonely}.
   */
  private void learn() {
    RingState held = cluster.ringState();
    long mine = held == null ? 0 : held.version();
    for (MemberInfo m : cluster.membership().digest()) {
      if (held != null && lonely(held) && m.ringVersion() >= 1 && !m.id().equals(self)
          && held.membership(m.id()) == null && fetching.add(m.id())) {
        fetch(m.id()).compose(theirs -> theirs == null ? Future.succeededFuture(false) : mergeLonely(held, theirs))
            .onComplete(r -> fetching.remove(m.id()));
        return;
      }
      if (m.ringVersion() > mine && !m.id().equals(self) && fetching.add(m.id())) {
        vertx.eventBus().<RingVoteAnswer>request(Addresses.membership(m.id()), RingVote.fetch(),
            new DeliveryOptions().setSendTimeout(RingProposer.VOTE_TIMEOUT_MS))
            .compose(reply -> reply.body().value() == null ? Future.succeededFuture(false)
                : take(RingCodec.decodeState(reply.body().value())))
            .onComplete(r -> fetching.remove(m.id()));
        return; // one at a time: the next tick asks again if still behind
      }
    }
  }

  private Future<RingState> fetch(String node) {
    return vertx.eventBus().<RingVoteAnswer>request(Addresses.membership(node), RingVote.fetch(),
            new DeliveryOptions().setSendTimeout(RingProposer.VOTE_TIMEOUT_MS))
        .map(reply -> reply.body().value() == null ? null : RingCodec.decodeState(reply.body().value()));
  }

  /** A ring of version 1 with this node alone: founded here, never changed. */
  private boolean lonely(RingState ring) {
    return fresh(ring) && ring.membership(self) != null;
  }

  /** A ring of version 1 with one member: founded and never changed. */
  private static boolean fresh(RingState ring) {
    return ring.version() == 1 && ring.members().size() == 1;
  }

  /**
   * Two clusters met. A node alone in a fresh ring gives it up for the other cluster's ring (and
   * then joins it) if that cluster is bigger, or also a lone fresh node with a smaller id, and
   * only if this node holds no data: a cluster that holds data is never merged away.
   */
  private Future<Boolean> mergeLonely(RingState mine, RingState theirs) {
    if (theirs.membership(self) != null) {
      // This node is a member there: it lost its data dir and founded anew; the cluster's ring is newer.
      return take(theirs);
    }
    String theirFounder = theirs.members().firstKey();
    boolean giveUp = !fresh(theirs) || theirFounder.compareTo(self) < 0;
    if (!giveUp || cluster.ringState() != mine) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> {
      if (!holdsNoData.getAsBoolean()) {
        return false;
      }
      store.saveRing(theirs);
      store.saveAcceptor(new RingAcceptor(theirs.version()).encode());
      return true;
    }).map(yielded -> {
      if (yielded && cluster.ringState() == mine) {
        acceptor = new RingAcceptor(theirs.version());
        cluster.replaceLonelyRing(theirs);
        LOG.info("node " + self + " gives up the ring it founded alone and takes the cluster of " + theirFounder
            + ": " + describe(theirs));
        return true;
      }
      return false;
    });
  }

  static String describe(RingState ring) {
    return "owners " + ring.ring().ownedCounts() + ", members " + ring.members()
        + (ring.changeInProgress() ? ", " + ring.movingPartitions() + " partitions moving" : "");
  }

  /** What the membership changes API and the finish rule need to know about copies in progress. */
  public interface TransferViews {
    /** Whether every node that must copy partitions for the running change has finished. */
    boolean allDone(RingState ring);

    /** A progress report published by a copying node. */
    void record(JsonObject progress);

    /** The copies of the running change with their progress, for {@code /cluster/ring}. */
    List<JsonObject> moving(RingState ring);
  }
}
