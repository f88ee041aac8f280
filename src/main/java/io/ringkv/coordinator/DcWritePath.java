package io.ringkv.coordinator;

import io.ringkv.cluster.Consistency;
import io.ringkv.cluster.Placement;
import io.ringkv.cluster.ReplicaPlan;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.KvRequest;
import io.ringkv.messaging.KvResponse;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The write of a coordinator that is a live home of the key in its own DC, with replicas per DC:
 * its own versioned write, the resulting sibling set to the other targets of its DC directly, and
 * to every other DC through that DC's relay ({@link DcRelay}), in the background. It answers as
 * soon as the request's level is met ({@link DcQuorum}): with {@code local_quorum} (the default)
 * that never waits for another DC; with {@code each_quorum} or a count across DCs the relays'
 * answers count too (each reports how many of its DC's replicas stored the write).
 */
final class DcWritePath {
  private final String nodeId;
  private final String localDc;
  private final ConflictMode mode;
  private final ReplicaCalls replicas;
  private final RequestTimers timers;
  private final DcRelay relay;
  private final ChangeListener changes;
  private final StoreMetrics metrics;

  DcWritePath(RingkvConfig config, ConflictMode mode, ReplicaCalls replicas, RequestTimers timers,
      DcRelay relay, ChangeListener changes, StoreMetrics metrics) {
    this.nodeId = config.id();
    this.localDc = config.dc();
    this.mode = mode;
    this.replicas = replicas;
    this.timers = timers;
    this.relay = relay;
    this.changes = changes;
    this.metrics = metrics;
  }

  /** The DC a target serves: a fallback serves the DC of the home it stands in for. */
  static String dcOf(Placement placement, ReplicaPlan.Target target) {
    return placement.dcOf(target.isFallback() ? target.hintFor() : target.node());
  }

  Future<KvResponse> coordinate(KvRequest request, Placement placement, ReplicaPlan plan, long nowMs) {
    long started = System.nanoTime();
    ReplicaRequest write = WritePath.ownWrite(request, plan.partition(), nowMs);
    return replicas.ask(nodeId, write, request.timeoutMs()).transform((stored, err) -> err != null
        ? Future.succeededFuture(WritePath.ownWriteFailed(request, err, nodeId))
        : replicate(request, placement, plan, stored, started));
  }

  private Future<KvResponse> replicate(KvRequest request, Placement placement, ReplicaPlan plan, ReplicaReply stored,
      long started) {
    Consistency.Requirement requirement = Consistency.requirement(request.w(), placement.replication(), localDc);
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (String dc : placement.replication().dcs()) {
      expected.put(dc, 0);
    }
    for (ReplicaPlan.Target t : plan.targets()) {
      if (ReplicaPlan.counts(t, request.sloppy())) {
        expected.merge(dcOf(placement, t), 1, Integer::sum);
      }
    }
    DcQuorum quorum = new DcQuorum(expected, requirement);
    SiblingSet[] known = {stored.siblings()};
    SiblingSet siblings = stored.siblings();
    Promise<KvResponse> answer = Promise.promise();
    Runnable settle = () -> settle(request, quorum, answer, known[0], stored, started);
    Deadlines.Entry timer = timers.schedule(request.timeoutMs(), () -> answer.tryComplete(refusal(
        KvResponse.Outcome.TIMEOUT,
        quorum, "write timed out after " + request.timeoutMs() + " ms with " + quorum.successes()
            + " acknowledgements; the write may still appear")));
    answer.future().onComplete(r -> timer.cancel());
    quorum.success(localDc, 1);
    ReplicaRequest merge = ReplicaRequest.merge(plan.partition(), request.key(), siblings);
    for (ReplicaPlan.Target target : plan.targets()) {
      if (target.node().equals(nodeId) || !localDc.equals(dcOf(placement, target))) {
        continue;
      }
      boolean counts = ReplicaPlan.counts(target, request.sloppy());
      replicas.ask(target.node(), target.isFallback() ? merge.hintedFor(target.hintFor()) : merge, request.timeoutMs())
          .onComplete((reply, err) -> {
            if (err != null) {
              replicas.keepHint(target.isFallback() ? target.hintFor() : target.node(), plan.partition(),
                  request.key(), siblings);
            } else if (reply.siblings() != null) {
              known[0] = known[0].merge(reply.siblings(), mode);
            }
            if (counts) {
              if (err == null) {
                quorum.success(localDc, 1);
              } else {
                quorum.failure(localDc, 1);
              }
            }
            settle.run();
          });
    }
    for (String home : plan.unplaced()) {
      if (localDc.equals(placement.dcOf(home))) {
        replicas.keepHint(home, plan.partition(), request.key(), siblings);
      }
    }
    for (String extra : plan.extras()) {
      if (!extra.equals(nodeId) && localDc.equals(placement.dcOf(extra))) {
        replicas.ask(extra, merge, request.timeoutMs()).onFailure(err ->
            replicas.keepHint(extra, plan.partition(), request.key(), siblings));
      }
    }
    shipToOtherDcs(request, placement, plan, siblings, expected, quorum, settle);
    settle.run();
    return answer.future();
  }

  /** Each other DC gets the write through its relay; the relay's count of stored replicas counts there. */
  private void shipToOtherDcs(KvRequest request, Placement placement, ReplicaPlan plan, SiblingSet siblings,
      Map<String, Integer> expected, DcQuorum quorum, Runnable settle) {
    for (String dc : placement.replication().dcs()) {
      if (dc.equals(localDc)) {
        continue;
      }
      int countable = expected.get(dc);
      relay.ship(dc, plan.partition(), request.key(), siblings).onComplete((storedThere, err) -> {
        int acks = err == null ? Math.min(storedThere, countable) : 0;
        quorum.success(dc, acks);
        quorum.failure(dc, countable - acks);
        settle.run();
      });
    }
  }

  private void settle(KvRequest request, DcQuorum quorum, Promise<KvResponse> answer, SiblingSet known,
      ReplicaReply stored, long started) {
    QuorumTracker.Outcome outcome = quorum.outcome();
    if (outcome == QuorumTracker.Outcome.REACHED) {
      if (answer.tryComplete(KvResponse.ok(known, stored.written(), nodeId))) {
        metrics.quorumLatency(request.op() == KvRequest.Op.PUT ? "put" : "delete", System.nanoTime() - started);
        changes.written(request.key(), known, nodeId);
      }
    } else if (outcome == QuorumTracker.Outcome.FAILED && quorum.allAnswered()) {
      answer.tryComplete(refusal(KvResponse.Outcome.UNAVAILABLE, quorum, "only " + quorum.successes()
          + " replicas acknowledged, " + Consistency.describe(request.w()) + " needs " + quorum.byDc()
          + " (dc:required:acknowledged); the write is stored on those and may still appear"));
    }
  }

  private KvResponse refusal(KvResponse.Outcome outcome, DcQuorum quorum, String message) {
    return KvResponse.failure(outcome, quorum.required(), quorum.successes(), message, nodeId, quorum.byDc());
  }

  /** The live homes of the key to forward a write to: this DC's first, then the others. */
  static List<String> forwardOrder(Placement placement, ReplicaPlan plan, String localDc) {
    List<String> local = plan.liveHomes().stream().filter(h -> localDc.equals(placement.dcOf(h))).toList();
    List<String> others = plan.liveHomes().stream().filter(h -> !localDc.equals(placement.dcOf(h))).toList();
    return Stream.concat(local.stream(), others.stream()).toList();
  }
}
