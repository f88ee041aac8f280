package io.ringkv.antientropy;

import io.ringkv.merkle.PartitionTrees;
import io.ringkv.merkle.TreeShape;
import io.ringkv.messaging.AeMessages;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.messaging.AntiEntropyReplica.DigestPage;
import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import io.ringkv.messaging.PartitionPage;
import io.ringkv.version.RecordDigest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison of a partition with one peer replica, from the initiator's side: compare roots,
 * descend into the subtrees that differ level by level, list both sides' keys of the leaves that
 * differ, pull the records this side lacks and merge them, then push the records the peer lacks
 * (after the pull, so a key both sides changed goes back as the merge of both). Every version
 * survives: merges are replication's sibling reconciliation, never a copy over.
 */
final class Exchange {
  static final int PAGE_KEYS = 1_024;
  static final int RECORDS_PER_MESSAGE = 256;

  private final AeChannel channel;
  private final AntiEntropyReplica replica;
  private final Context context;
  private final int partition;
  private final String peer;
  private final TreeShape shape;
  private final AeChannel.Traffic traffic = new AeChannel.Traffic();
  private int keysReceived;
  private int keysSent;
  private int keysChanged;
  private final Map<ByteBuffer, Long> theirDigests = new HashMap<>();

  /** How an exchange ended (BUSY: the peer is in another exchange of the partition; try again). */
  enum Result { EQUAL, REPAIRED, SKIPPED, BUSY }

  /** What it did; {@code reason} says why it was skipped. */
  record Outcome(Result result, String reason, int keysReceived, int keysSent, int keysChanged, long bytes) {}

  Exchange(AeChannel channel, AntiEntropyReplica replica, Context context, int partition, String peer) {
    this.channel = channel;
    this.replica = replica;
    this.context = context;
    this.partition = partition;
    this.peer = peer;
    this.shape = replica.trees().shape();
  }

  Future<Outcome> run() {
    PartitionTrees trees = replica.trees();
    if (trees.root(partition) == null) {
      return Future.succeededFuture(skipped("this node's tree is not built yet"));
    }
    return descend(0, new int[] {0});
  }

  /** Compares the nodes {@code indices} of {@code level}; goes on with the children of those that differ. */
  private Future<Outcome> descend(int level, int[] indices) {
    AeMessages.TreeRequest request = new AeMessages.TreeRequest(partition, shape.fanout(), shape.depth(), level, indices);
    return channel.<AeMessages.TreeReply>ask(peer, request, traffic).compose(reply -> {
      if (reply.status() == AeMessages.TreeStatus.BUSY) {
        return Future.succeededFuture(new Outcome(Result.BUSY, "busy", 0, 0, 0, traffic.bytes));
      }
      if (reply.status() != AeMessages.TreeStatus.OK) {
        return Future.succeededFuture(skipped(peer + " answered " + reply.status()));
      }
      long[] mine = replica.trees().hashes(partition, level, indices);
      if (mine == null) {
        return Future.succeededFuture(skipped("this node's tree was replaced"));
      }
      int[] differing = TreeWalk.differing(indices, mine, reply.hashes());
      if (differing.length == 0) {
        return Future.succeededFuture(outcome(Result.EQUAL));
      }
      if (level == shape.depth() || TreeWalk.listingIsCheaper(shape, level, reply.keys())) {
        return repair(TreeWalk.leavesUnder(shape, level, differing));
      }
      return descend(level + 1, TreeWalk.children(shape, differing));
    });
  }

  /** Lists both sides' keys of the differing leaves (sorted), then pulls and pushes what differs. */
  private Future<Outcome> repair(int[] leaves) {
    // When most leaves differ (a wiped replica), listing every key costs the same bytes and the
    // scans skip the leaf test.
    int[] filter = leaves.length * 2 > shape.leaves() ? null : leaves;
    Future<List<KeyDigest>> theirs = listPeer(filter, null, new ArrayList<>());
    Future<List<KeyDigest>> mine = context.executeBlocking(() -> listMine(filter), false);
    return Future.all(theirs, mine).compose(both -> {
      KeyDiff diff = KeyDiff.of(mine.result(), theirs.result());
      theirs.result().forEach(k -> theirDigests.put(ByteBuffer.wrap(k.key()), k.digest()));
      return pull(diff.pull(), 0).compose(v -> push(diff.push(), 0))
          .map(v -> outcome(diff.isEmpty() ? Result.EQUAL : Result.REPAIRED));
    });
  }

  private Future<List<KeyDigest>> listPeer(int[] leaves, byte[] after, List<KeyDigest> into) {
    AeMessages.DigestRequest request = new AeMessages.DigestRequest(partition, shape.fanout(), shape.depth(), leaves,
        after, PAGE_KEYS);
    return channel.<AeMessages.Digests>ask(peer, request, traffic).compose(page -> {
      into.addAll(page.keys());
      if (page.end() || page.keys().isEmpty()) {
        return Future.succeededFuture(into);
      }
      return listPeer(leaves, page.keys().get(page.keys().size() - 1).key(), into);
    });
  }

  private List<KeyDigest> listMine(int[] leaves) {
    List<KeyDigest> keys = new ArrayList<>();
    byte[] after = null;
    while (true) {
      DigestPage page = replica.digests(partition, leaves, after, PAGE_KEYS);
      keys.addAll(page.keys());
      if (page.end() || page.keys().isEmpty()) {
        return keys;
      }
      after = page.keys().get(page.keys().size() - 1).key();
    }
  }

  /** Fetches the peer's records of {@code keys} from {@code from} on, a message at a time, and merges them here. */
  private Future<Void> pull(List<byte[]> keys, int from) {
    if (from >= keys.size()) {
      return Future.succeededFuture();
    }
    List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + RECORDS_PER_MESSAGE));
    return channel.<PartitionPage>ask(peer, new AeMessages.KeysRequest(partition, true, batch), traffic)
        .compose(page -> {
          keysReceived += page.entries().size();
          return Future.fromCompletionStage(replica.merge(partition, page.entries()), context);
        })
        .compose(changed -> {
          keysChanged += changed;
          return pull(keys, from + batch.size());
        });
  }

  /** Sends this side's records of {@code keys} (read after the pull: merged with the peer's) for the peer to merge. */
  private Future<Void> push(List<byte[]> keys, int from) {
    if (from >= keys.size()) {
      return Future.succeededFuture();
    }
    List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + RECORDS_PER_MESSAGE));
    return context.executeBlocking(() -> replica.records(partition, batch), false)
        .compose(records -> {
          // A key both sides changed was just pulled and merged: if this side now holds exactly
          // what the peer holds, there is nothing to send back.
          List<PartitionPage.Entry> lacking = records.stream()
              .filter(e -> RecordDigest.of(e.record()).hash() != theirDigests.getOrDefault(ByteBuffer.wrap(e.key()), 0L))
              .toList();
          keysSent += lacking.size();
          return lacking.isEmpty() ? Future.succeededFuture()
              : channel.<AeMessages.Ack>ask(peer, new AeMessages.Push(partition, lacking), traffic);
        })
        .compose(ack -> push(keys, from + batch.size()));
  }

  private Outcome outcome(Result result) {
    return new Outcome(result, null, keysReceived, keysSent, keysChanged, traffic.bytes);
  }

  private Outcome skipped(String why) {
    return new Outcome(Result.SKIPPED, why, keysReceived, keysSent, keysChanged, traffic.bytes);
  }

  /** Bytes so far (also when the exchange failed half way). */
  long bytes() {
    return traffic.bytes;
  }
}
