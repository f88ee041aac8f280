package io.ringkv.storage;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.ReplicaBatch;
import io.ringkv.messaging.ReplicaBatchReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.ring.Membership;
import io.ringkv.ring.RingState;
import io.ringkv.version.RecordDigest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hinted handoff: hands the hints this node keeps back to their home replicas once the failure
 * detector sees them up, in the background. Each target's hints go in key order, a page at a time,
 * as one batch of merges; a hint is deleted only after its home acknowledged the merge (and only
 * if it did not change meanwhile). Paced by {@link HandoffPacer}: a node-wide keys-per-second
 * budget, so client traffic keeps its share, and a backoff per target after a failure.
 */
public final class HintedHandoffVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(HintedHandoffVerticle.class.getName());
  static final int PAGE_KEYS = 256;
  static final long TICK_MS = 200;

  private final HintStore hints;
  private final ClusterState cluster;
  private final Clock clock;
  private final int keysPerSecond;
  private final long timeoutMs;
  private final long graceMs;
  private final Set<String> delivering = new HashSet<>();
  private HandoffPacer pacer;

  /**
   * @param graceMs the tombstone grace period: a hint whose newest version is older is dropped, not
   *     delivered (see {@link HintStore#expire})
   */
  public HintedHandoffVerticle(HintStore hints, ClusterState cluster, Clock clock, int keysPerSecond, long timeoutMs,
      long graceMs) {
    this.hints = hints;
    this.cluster = cluster;
    this.clock = clock;
    this.keysPerSecond = keysPerSecond;
    this.timeoutMs = timeoutMs;
    this.graceMs = graceMs;
  }

  @Override
  public Future<?> start() {
    pacer = new HandoffPacer(keysPerSecond, clock.millis());
    vertx.setPeriodic(TICK_MS, id -> tick());
    return Future.succeededFuture();
  }

  /**
   * Starts a delivery run for every target that has hints, is up (or has left the ring: its hints
   * go to the partitions' homes instead), and is not waiting out a backoff.
   */
  private void tick() {
    long now = clock.millis();
    for (String target : hints.pending().keySet()) {
      boolean gone = hasLeft(target);
      if (!delivering.contains(target) && (gone || cluster.liveness().status(target) == MemberStatus.UP)
          && pacer.mayTry(target, now)) {
        delivering.add(target);
        (gone ? redirect(target, null) : deliver(target, null)).onComplete((ok, err) -> {
          delivering.remove(target);
          if (err == null) {
            pacer.succeeded(target);
          } else {
            long backoff = pacer.failed(target, clock.millis());
            LOG.log(Level.INFO, "handoff to " + target + " failed (" + err.getMessage() + "); retrying in "
                + backoff + " ms");
          }
        });
      }
    }
  }

  /** Delivers the target's hints page by page, from the one after {@code after}, while it stays up. */
  private Future<Void> deliver(String target, HintStore.Hint after) {
    return context.executeBlocking(() -> hints.page(target, after, PAGE_KEYS), false).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture();
      }
      return paced(page.size()).compose(v -> send(target, page)).compose(v -> {
        boolean stillUp = cluster.liveness().status(target) == MemberStatus.UP;
        return stillUp ? deliver(target, page.get(page.size() - 1)) : Future.succeededFuture();
      });
    });
  }

  /**
   * Whether the target left the ring (a leave or a remove ended) and every member holds that ring:
   * it replicates nothing any more and may never come back, so the writes its hints hold belong to
   * the partitions' current homes.
   */
  private boolean hasLeft(String target) {
    RingState ring = cluster.ringState();
    return ring != null && ring.membership(target) == Membership.LEFT && !ring.changeInProgress()
        && cluster.everyoneHolds(ring.version());
  }

  /** Hands a departed node's hints, page by page, to the current homes of their partitions. */
  private Future<Void> redirect(String target, HintStore.Hint after) {
    return context.executeBlocking(() -> hints.page(target, after, PAGE_KEYS), false).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture();
      }
      long expiredBefore = clock.millis() - graceMs;
      List<Future<Boolean>> done = new ArrayList<>();
      Map<String, List<HintStore.Hint>> byHome = new TreeMap<>();
      for (HintStore.Hint h : page) {
        if (RecordDigest.of(h.siblings()).newestTimestampMs() < expiredBefore) {
          done.add(Future.fromCompletionStage(hints.expire(h), context)); // as in send(): never resurrect
          continue;
        }
        for (String home : cluster.placement().homeReplicas(h.partition())) {
          byHome.computeIfAbsent(home, k -> new ArrayList<>()).add(h);
        }
      }
      // Deleted only once every home merged its share: a hint may be one of a write's W copies.
      return paced(page.size())
          .compose(v -> Future.all(byHome.entrySet().stream().map(e -> mergeInto(e.getKey(), e.getValue()))
              .toList()))
          .compose(v -> Future.all(byHome.values().stream().flatMap(List::stream).distinct()
              .map(h -> Future.fromCompletionStage(hints.deleteDelivered(h), context)).toList()))
          .compose(v -> Future.all(done))
          .compose(v -> redirect(target, page.get(page.size() - 1)));
    });
  }

  private Future<Void> mergeInto(String home, List<HintStore.Hint> page) {
    List<ReplicaRequest> merges = new ArrayList<>(page.size());
    for (HintStore.Hint h : page) {
      merges.add(ReplicaRequest.merge(h.partition(), h.key(), h.siblings()));
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    return vertx.eventBus().<ReplicaBatchReply>request(Addresses.storage(home), new ReplicaBatch(merges), options)
        .compose(reply -> reply.body().outcomes().size() == page.size()
            && reply.body().outcomes().stream().allMatch(o -> o.reply() != null) ? Future.succeededFuture()
            : Future.failedFuture(home + " refused some merges of hints for a node that left"));
  }

  private Future<Void> paced(int keys) {
    long wait = pacer.take(keys, clock.millis());
    if (wait == 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(wait).compose(v -> paced(keys));
  }

  /** One batch of merges to the home replica; each acknowledged hint is then deleted here. */
  private Future<Void> send(String target, List<HintStore.Hint> all) {
    long expiredBefore = clock.millis() - graceMs;
    List<HintStore.Hint> page = new ArrayList<>(all.size());
    List<Future<Boolean>> expired = new ArrayList<>();
    for (HintStore.Hint h : all) {
      if (RecordDigest.of(h.siblings()).newestTimestampMs() < expiredBefore) {
        expired.add(Future.fromCompletionStage(hints.expire(h), context));
      } else {
        page.add(h);
      }
    }
    if (!expired.isEmpty()) {
      LOG.warning(expired.size() + " hints for " + target + " are older than the tombstone grace period ("
          + graceMs + " ms): dropped, not delivered; anti-entropy has repaired " + target + " from its peers");
    }
    if (page.isEmpty()) {
      return Future.all(expired).mapEmpty();
    }
    List<ReplicaRequest> merges = new ArrayList<>(page.size());
    for (HintStore.Hint h : page) {
      merges.add(ReplicaRequest.merge(h.partition(), h.key(), h.siblings()));
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    return vertx.eventBus().<ReplicaBatchReply>request(Addresses.storage(target), new ReplicaBatch(merges), options)
        .compose(reply -> {
          List<ReplicaBatchReply.Outcome> outcomes = reply.body().outcomes();
          List<Future<Boolean>> deletions = new ArrayList<>(page.size());
          boolean allMerged = outcomes.size() == page.size();
          for (int i = 0; i < Math.min(outcomes.size(), page.size()); i++) {
            if (outcomes.get(i).reply() != null) {
              deletions.add(Future.fromCompletionStage(hints.deleteDelivered(page.get(i)), context));
            } else {
              allMerged = false;
            }
          }
          boolean complete = allMerged;
          return Future.all(deletions).compose(v -> complete ? Future.succeededFuture()
              : Future.failedFuture(target + " refused some merges"));
        });
  }
}
