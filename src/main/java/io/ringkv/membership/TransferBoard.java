package io.ringkv.membership;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.ring.RingState;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node knows about the copies of the running change: which target nodes have finished
 * (from gossip: each node says up to which ring version it has all its copies) and the progress
 * they publish ({@code keysSent}, {@code bytesSent} per partition). Thread-safe: the membership
 * verticle writes, HTTP instances read.
 */
public final class TransferBoard implements MembershipVerticle.TransferViews {
  private final ClusterState cluster;
  private final Map<String, JsonObject> progress = new ConcurrentHashMap<>();

  public TransferBoard(ClusterState cluster) {
    this.cluster = cluster;
  }

  @Override
  public boolean allDone(RingState ring) {
    Set<String> targets = new LinkedHashSet<>();
    ring.transfers(cluster.n()).forEach(t -> targets.add(t.target()));
    Map<String, MemberInfo> gossip = new HashMap<>();
    cluster.membership().digest().forEach(m -> gossip.put(m.id(), m));
    for (String target : targets) {
      MemberInfo m = gossip.get(target);
      if (m == null || m.transfersDoneFor() < ring.version()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void record(JsonObject report) {
    progress.put(report.getString("to") + "/" + report.getInteger("partition") + "/" + report.getLong("version"),
        report);
  }

  @Override
  public List<JsonObject> moving(RingState ring) {
    List<JsonObject> out = new ArrayList<>();
    Map<String, Long> doneFor = new HashMap<>();
    cluster.membership().digest().forEach(m -> doneFor.put(m.id(), m.transfersDoneFor()));
    for (RingState.Transfer t : ring.transfers(cluster.n())) {
      JsonObject p = progress.get(t.target() + "/" + t.partition() + "/" + ring.version());
      boolean targetDone = doneFor.getOrDefault(t.target(), 0L) >= ring.version();
      out.add(new JsonObject()
          .put("partition", t.partition())
          .put("from", p != null ? p.getString("from") : t.sources().get(0))
          .put("to", t.target())
          .put("keysSent", p != null ? p.getLong("keysSent") : 0L)
          .put("bytesSent", p != null ? p.getLong("bytesSent") : 0L)
          .put("done", targetDone || p != null && p.getBoolean("done", false)));
    }
    progress.keySet().removeIf(k -> !k.endsWith("/" + ring.version()));
    return out;
  }
}
