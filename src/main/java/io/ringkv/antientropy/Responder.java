package io.ringkv.antientropy;

import io.ringkv.merkle.TreeShape;
import io.ringkv.messaging.AeMessages;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import io.ringkv.messaging.PartitionPage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The peer's side of an exchange: answers tree hashes from memory, and key listings, records,
 * pushes and reaps from the store, off the event loop. Counts what it sends and receives into the
 * partition's statistics, like the initiator does.
 */
final class Responder {
  private static final Logger LOG = Logger.getLogger(Responder.class.getName());
  static final int FAILURE_BAD_REQUEST = 400;
  static final int FAILURE_INTERNAL = 500;
  private static final int MAX_PAGE_KEYS = 10_000;

  private final String self;
  private final AntiEntropyReplica replica;
  private final AeStats stats;
  private final Context context;
  private final ByteBudget budget;
  private final Clock clock;
  private final PartitionLeases leases;
  private boolean shapeWarned;

  Responder(String self, AntiEntropyReplica replica, AeStats stats, Context context, ByteBudget budget, Clock clock,
      PartitionLeases leases) {
    this.leases = leases;
    this.self = self;
    this.replica = replica;
    this.stats = stats;
    this.context = context;
    this.budget = budget;
    this.clock = clock;
  }

  void handle(Message<Object> message) {
    Object body = message.body();
    if (body instanceof AeMessages.RootsRequest r) {
      roots(message, r);
      return;
    }
    Integer partition = partitionOf(body);
    if (partition == null) {
      message.fail(FAILURE_BAD_REQUEST, "anti-entropy of " + self + " does not understand "
          + (body == null ? "an empty message" : body.getClass().getSimpleName()));
      return;
    }
    if (partition < 0 || partition >= replica.trees().partitions()) {
      message.fail(FAILURE_BAD_REQUEST, "no partition " + partition + " on " + self);
      return;
    }
    String from = message.headers().get(AeMessages.FROM_HEADER);
    if (from != null) {
      boolean first = body instanceof AeMessages.TreeRequest r && r.level() == 0;
      if (first && !leases.admit(partition, from, clock.millis())) {
        message.reply(new AeMessages.TreeReply(AeMessages.TreeStatus.BUSY, 0, new long[0]));
        return;
      }
      leases.touch(partition, from, clock.millis());
    }
    answer(body).onComplete((reply, err) -> {
      if (err == null) {
        int bytes = AeMessages.size(body) + AeMessages.size(reply);
        stats.bytes(partition, bytes);
        // Answering counts against this node's budget too: a node being repaired by several
        // peers at once takes in no more than its own budget.
        long wait = budget.charge(bytes, clock.millis());
        if (wait == 0) {
          message.reply(reply);
        } else {
          context.owner().setTimer(wait, id -> message.reply(reply));
        }
      } else if (err instanceof IllegalArgumentException) {
        message.fail(FAILURE_BAD_REQUEST, err.getMessage());
      } else {
        LOG.log(Level.WARNING, "anti-entropy of " + self + " failed to answer " + body.getClass().getSimpleName()
            + " for partition " + partition, err);
        message.fail(FAILURE_INTERNAL, "anti-entropy error on " + self);
      }
    });
  }

  /** The roots of many partitions at once, from memory. */
  private void roots(Message<Object> message, AeMessages.RootsRequest r) {
    if (!sameShape(r.fanout(), r.depth())) {
      message.reply(new AeMessages.RootsReply(AeMessages.TreeStatus.SHAPE_MISMATCH, new Long[0]));
      return;
    }
    Long[] roots = new Long[r.partitions().length];
    for (int i = 0; i < roots.length; i++) {
      int p = r.partitions()[i];
      roots[i] = p < 0 || p >= replica.trees().partitions() ? null : replica.trees().root(p);
    }
    AeMessages.RootsReply reply = new AeMessages.RootsReply(AeMessages.TreeStatus.OK, roots);
    stats.peerRootBytes(AeMessages.size(r) + AeMessages.size(reply));
    message.reply(reply);
  }

  private static Integer partitionOf(Object body) {
    if (body instanceof AeMessages.TreeRequest r) {
      return r.partition();
    } else if (body instanceof AeMessages.DigestRequest r) {
      return r.partition();
    } else if (body instanceof AeMessages.KeysRequest r) {
      return r.partition();
    } else if (body instanceof AeMessages.Push r) {
      return r.partition();
    } else if (body instanceof AeMessages.Reap r) {
      return r.partition();
    }
    return null;
  }

  private Future<?> answer(Object body) {
    if (body instanceof AeMessages.TreeRequest r) {
      return tree(r);
    } else if (body instanceof AeMessages.DigestRequest r) {
      if (!sameShape(r.fanout(), r.depth())) {
        return Future.failedFuture(new IllegalArgumentException("tree shapes differ"));
      }
      return context.executeBlocking(() -> {
        AntiEntropyReplica.DigestPage page = replica.digests(r.partition(), r.leaves(), r.after(),
            Math.min(MAX_PAGE_KEYS, Math.max(1, r.maxKeys())));
        return new AeMessages.Digests(page.keys(), page.end());
      }, false);
    } else if (body instanceof AeMessages.KeysRequest r) {
      return keys(r);
    } else if (body instanceof AeMessages.Push r) {
      stats.received(r.partition(), r.records().size());
      return Future.fromCompletionStage(replica.merge(r.partition(), r.records()), context).map(AeMessages.Ack::new);
    }
    AeMessages.Reap r = (AeMessages.Reap) body;
    return Future.fromCompletionStage(replica.reap(r.partition(), r.keys()), context).map(removed -> {
      stats.reaped(removed);
      return new AeMessages.Ack(removed);
    });
  }

  /** Answered from memory, on the event loop: hashing a tree's dirty paths takes microseconds. */
  private Future<AeMessages.TreeReply> tree(AeMessages.TreeRequest r) {
    if (!sameShape(r.fanout(), r.depth())) {
      return Future.succeededFuture(new AeMessages.TreeReply(AeMessages.TreeStatus.SHAPE_MISMATCH, 0, new long[0]));
    }
    if (r.level() < 0 || r.level() > r.depth() || r.partition() < 0
        || r.partition() >= replica.trees().partitions()) {
      return Future.failedFuture(new IllegalArgumentException("no level " + r.level() + " of partition "
          + r.partition()));
    }
    try {
      long[] hashes = replica.trees().hashes(r.partition(), r.level(), r.indices());
      return Future.succeededFuture(hashes == null
          ? new AeMessages.TreeReply(AeMessages.TreeStatus.NOT_READY, 0, new long[0])
          : new AeMessages.TreeReply(AeMessages.TreeStatus.OK, replica.trees().keys(r.partition()), hashes));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Object> keys(AeMessages.KeysRequest r) {
    if (r.records()) {
      return context.executeBlocking(() -> new PartitionPage(replica.records(r.partition(), r.keys()), true), false)
          .map(page -> {
            stats.sent(r.partition(), page.entries().size());
            return page;
          });
    }
    return context.executeBlocking(() -> {
      long[] digests = replica.digestsOf(r.partition(), r.keys());
      List<KeyDigest> out = new ArrayList<>(digests.length);
      for (int i = 0; i < digests.length; i++) {
        out.add(new KeyDigest(r.keys().get(i), digests[i]));
      }
      return new AeMessages.Digests(out, true);
    }, false);
  }

  private boolean sameShape(int fanout, int depth) {
    TreeShape mine = replica.trees().shape();
    boolean same = mine.fanout() == fanout && mine.depth() == depth;
    if (!same && !shapeWarned) {
      shapeWarned = true;
      LOG.warning("anti-entropy of " + self + " was asked to compare trees of fanout " + fanout + " and depth "
          + depth + " with its own of fanout " + mine.fanout() + " and depth " + mine.depth()
          + ": every node must use the same anti-entropy-tree-fanout and -depth; those partitions are not compared");
    }
    return same;
  }
}
