package io.ringkv.coordinator;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.Consistency;
import io.ringkv.cluster.Placement;
import io.ringkv.cluster.ReplicaPlan;
import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.ChangeListener;
import io.ringkv.messaging.KvRequest;
import io.ringkv.messaging.KvResponse;
import io.ringkv.messaging.RelayBatch;
import io.ringkv.messaging.RelayBatchReply;
import io.ringkv.messaging.ReplicaRequest;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads with replicas per DC, and the relay end of cross-DC replication. A read at
 * {@code local_one}/{@code local_quorum} asks only the replicas of the coordinator's DC (no WAN
 * round trip); {@code each_quorum} and counts across DCs ask every DC's replicas directly.
 * A relay batch from another DC is merged into this DC's targets of each key.
 */
final class DcReadPath {
  private final RingkvConfig config;
  private final String nodeId;
  private final String localDc;
  private final ConflictMode mode;
  private final ClusterState cluster;
  private final ReplicaCalls replicas;
  private final RequestTimers timers;
  private final ChangeListener changes;
  private final StoreMetrics metrics;

  DcReadPath(RingkvConfig config, ConflictMode mode, ClusterState cluster, ReplicaCalls replicas,
      RequestTimers timers, ChangeListener changes, StoreMetrics metrics) {
    this.config = config;
    this.nodeId = config.id();
    this.localDc = config.dc();
    this.mode = mode;
    this.cluster = cluster;
    this.replicas = replicas;
    this.timers = timers;
    this.changes = changes;
    this.metrics = metrics;
  }

  Future<KvResponse> read(KvRequest request) {
    Placement placement = cluster.placement();
    int partition = placement.partitionOf(request.key());
    ReplicaPlan plan = placement.plan(partition, cluster.liveness(), request.sloppy() && config.hintedHandoff());
    Consistency.Requirement requirement = Consistency.requirement(request.r(), placement.replication(), localDc);
    boolean localOnly = requirement.localOnly(localDc);
    List<ReplicaPlan.Target> targets = plan.targets().stream()
        .filter(t -> !localOnly || localDc.equals(DcWritePath.dcOf(placement, t))).toList();
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (String dc : placement.replication().dcs()) {
      expected.put(dc, 0);
    }
    targets.forEach(t -> expected.merge(DcWritePath.dcOf(placement, t), 1, Integer::sum));
    DcQuorum quorum = new DcQuorum(expected, requirement);
    ReadRound round = new ReadRound(targets.stream().map(ReplicaPlan.Target::node).toList(), 1, mode);
    long started = System.nanoTime();
    Promise<KvResponse> answer = Promise.promise();
    Deadlines.Entry timer = timers.schedule(request.timeoutMs(), () -> answer.tryComplete(KvResponse.failure(
        KvResponse.Outcome.TIMEOUT, quorum.required(), quorum.successes(),
        "read timed out after " + request.timeoutMs() + " ms", nodeId, quorum.byDc())));
    int[] answered = {0};
    for (ReplicaPlan.Target target : targets) {
      ReplicaRequest read = target.isFallback()
          ? ReplicaRequest.readHinted(partition, request.key(), target.hintFor())
          : ReplicaRequest.read(partition, request.key());
      String dc = DcWritePath.dcOf(placement, target);
      replicas.ask(target.node(), read, request.timeoutMs()).onComplete((reply, err) -> {
        answered[0]++;
        QuorumTracker.Outcome outcome;
        if (err == null) {
          round.success(target.node(), reply.siblings());
          outcome = quorum.success(dc, 1);
        } else {
          round.failure(target.node());
          outcome = quorum.failure(dc, 1);
        }
        if (outcome == QuorumTracker.Outcome.REACHED && answer.tryComplete(KvResponse.ok(round.merged, null, nodeId))) {
          metrics.quorumLatency("get", System.nanoTime() - started);
        } else if (outcome == QuorumTracker.Outcome.FAILED && quorum.allAnswered()) {
          answer.tryComplete(KvResponse.failure(KvResponse.Outcome.UNAVAILABLE, quorum.required(), quorum.successes(),
              "only " + quorum.successes() + " replicas answered; " + Consistency.describe(request.r()) + " needs "
                  + quorum.byDc() + " (dc:required:acknowledged)", nodeId, quorum.byDc()));
        }
        if (answered[0] == targets.size()) {
          timer.cancel();
          repair(plan, request.key(), round);
        }
      });
    }
    if (quorum.outcome() == QuorumTracker.Outcome.FAILED && targets.isEmpty()) {
      timer.cancel();
      answer.tryComplete(KvResponse.failure(KvResponse.Outcome.UNAVAILABLE, quorum.required(), 0,
          "no replica of this key is up where " + Consistency.describe(request.r()) + " needs it", nodeId,
          quorum.byDc()));
    }
    return answer.future();
  }

  private void repair(ReplicaPlan plan, byte[] key, ReadRound round) {
    if (round.revealsConflict()) {
      changes.written(key, round.merged, nodeId);
    }
    for (String stale : round.staleReplicas()) {
      if (plan.liveHomes().contains(stale)) {
        replicas.ask(stale, ReplicaRequest.merge(plan.partition(), key, round.merged), config.requestTimeoutMs())
            .onComplete((ok, err) -> {
              if (err == null) {
                metrics.readRepair();
              } else {
                metrics.readRepairFailed();
              }
            });
      }
    }
  }

  /**
   * A batch another DC's coordinator shipped here: each key's sibling set goes to this DC's
   * targets of the key (live homes, fallbacks for down ones; hints where none answers). Answered
   * once every target answered, with how many stored each entry.
   */
  Future<RelayBatchReply> relayed(RelayBatch batch) {
    Placement placement = cluster.placement();
    List<Future<Integer>> results = new ArrayList<>(batch.entries().size());
    for (RelayBatch.Entry e : batch.entries()) {
      results.add(mergeHere(placement, e, batch.coordinator()));
    }
    return Future.join(results).transform(ignored -> {
      int[] stored = new int[results.size()];
      for (int i = 0; i < stored.length; i++) {
        stored[i] = results.get(i).succeeded() ? results.get(i).result() : 0;
      }
      return Future.succeededFuture(new RelayBatchReply(stored));
    });
  }

  /** Merges one shipped key into this DC's targets; once one stored it, this DC's feed hears of it. */
  private Future<Integer> mergeHere(Placement placement, RelayBatch.Entry e, String coordinator) {
    ReplicaPlan plan = placement.plan(e.partition(), cluster.liveness(), config.hintedHandoff());
    ReplicaRequest merge = ReplicaRequest.merge(e.partition(), e.key(), e.siblings());
    List<Future<Boolean>> acks = new ArrayList<>();
    SiblingSet[] known = {e.siblings()};
    for (ReplicaPlan.Target target : plan.targets()) {
      if (!localDc.equals(DcWritePath.dcOf(placement, target))) {
        continue;
      }
      String home = target.isFallback() ? target.hintFor() : target.node();
      acks.add(replicas.ask(target.node(), target.isFallback() ? merge.hintedFor(home) : merge,
              config.requestTimeoutMs())
          .map(reply -> {
            if (reply.siblings() != null) {
              known[0] = known[0].merge(reply.siblings(), mode);
            }
            return true;
          })
          .otherwise(err -> {
            replicas.keepHint(home, e.partition(), e.key(), e.siblings());
            return false;
          }));
    }
    for (String home : plan.unplaced()) {
      if (localDc.equals(placement.dcOf(home))) {
        replicas.keepHint(home, e.partition(), e.key(), e.siblings());
      }
    }
    // Nodes of this DC becoming (or just stopped being) homes while the ring changes get it too, uncounted.
    for (String extra : plan.extras()) {
      if (localDc.equals(placement.dcOf(extra))) {
        replicas.ask(extra, merge, config.requestTimeoutMs()).onFailure(err ->
            replicas.keepHint(extra, e.partition(), e.key(), e.siblings()));
      }
    }
    return Future.all(acks).map(all -> {
      int stored = (int) acks.stream().filter(Future::result).count();
      if (stored > 0) {
        changes.written(e.key(), known[0], coordinator);
      }
      return stored;
    });
  }
}
