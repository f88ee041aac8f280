package io.ringkv.antientropy;

import io.ringkv.messaging.AeMessages;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Tombstone garbage collection for one partition, run by its first home replica right after a
 * pass compared it with every other home (docs/anti-entropy.md, "Tombstone GC"). A key is removed
 * only if all its versions are tombstones, the newest older than {@code graceMs}, and every home
 * replica holds exactly the same versions of it, asked in this round; then each home removes it,
 * each only if its record is still the same. A home that is down or differs keeps every
 * tombstone where it is, so a replica that missed a delete gets the tombstone before any copy of
 * it goes.
 */
final class Reaper {
  private static final Logger LOG = Logger.getLogger(Reaper.class.getName());
  static final int KEYS_PER_ROUND = 1_000;

  private final AntiEntropyReplica replica;
  private final AeChannel channel;
  private final AeStats stats;
  private final Context context;
  private final Clock clock;
  private final long graceMs;

  Reaper(AntiEntropyReplica replica, AeChannel channel, AeStats stats, Context context, Clock clock, long graceMs) {
    this.replica = replica;
    this.channel = channel;
    this.stats = stats;
    this.context = context;
    this.clock = clock;
    this.graceMs = graceMs;
  }

  /** One round over the partition's oldest reapable tombstones; {@code peers} are all the other homes. */
  Future<Void> round(int partition, List<String> peers) {
    long notAfter = clock.millis() - graceMs;
    AeChannel.Traffic traffic = new AeChannel.Traffic();
    return context.executeBlocking(() -> replica.tombstones(partition, notAfter, null, KEYS_PER_ROUND), false)
        .compose(candidates -> candidates.keys().isEmpty() ? Future.succeededFuture()
            : confirmed(partition, peers, candidates.keys(), traffic)
                .compose(keys -> keys.isEmpty() ? Future.succeededFuture() : reap(partition, peers, keys, traffic)))
        .eventually(() -> {
          stats.bytes(partition, traffic.bytes);
          return Future.succeededFuture();
        });
  }

  /** The candidates every peer holds with exactly the same versions. */
  private Future<List<KeyDigest>> confirmed(int partition, List<String> peers, List<KeyDigest> candidates,
      AeChannel.Traffic traffic) {
    List<byte[]> keys = candidates.stream().map(KeyDigest::key).toList();
    List<Future<AeMessages.Digests>> answers = new ArrayList<>();
    for (String peer : peers) {
      answers.add(channel.ask(peer, new AeMessages.KeysRequest(partition, false, keys), traffic));
    }
    return Future.all(answers).map(all -> {
      List<KeyDigest> held = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        boolean everywhere = true;
        for (Future<AeMessages.Digests> answer : answers) {
          List<KeyDigest> theirs = answer.result().keys();
          everywhere &= theirs.size() == candidates.size() && theirs.get(i).digest() == candidates.get(i).digest();
        }
        if (everywhere) {
          held.add(candidates.get(i));
        }
      }
      return held;
    });
  }

  /** Every other home removes them (each only if unchanged), then this one. */
  private Future<Void> reap(int partition, List<String> peers, List<KeyDigest> keys, AeChannel.Traffic traffic) {
    List<Future<AeMessages.Ack>> removals = new ArrayList<>();
    for (String peer : peers) {
      removals.add(channel.ask(peer, new AeMessages.Reap(partition, keys), traffic));
    }
    return Future.join(removals)
        .transform(ignored -> Future.fromCompletionStage(replica.reap(partition, keys), context))
        .map(removed -> {
          stats.reaped(removed);
          LOG.fine(() -> "removed " + removed + " tombstones of partition " + partition + " held by every home");
          return null;
        });
  }
}
