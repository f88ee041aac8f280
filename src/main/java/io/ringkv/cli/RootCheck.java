package io.ringkv.cli;

import io.ringkv.merkle.RootAgreement;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After healing and one anti-entropy pass, the replicas of every partition must report the same
 * Merkle root ({@code GET /cluster/antientropy}, {@code partitions[].root}) and every partition must
 * have as many homes reporting it as the cluster has replicas per key.
 */
final class RootCheck {
  /** What was compared and what disagreed (a partition short of homes counts as divergent). */
  record Result(int partitions, List<RootAgreement.Divergence> divergent) {}

  private RootCheck() {}

  static Result run(ClusterAdmin admin, List<String> nodes, int replicas) throws IOException, InterruptedException {
    Map<String, Map<Integer, String>> rootsByNode = new HashMap<>();
    Map<Integer, List<String>> homes = new TreeMap<>();
    for (String node : nodes) {
      JsonObject status = admin.getOptional(node, "/cluster/antientropy");
      Map<Integer, String> roots = new LinkedHashMap<>();
      if (status != null) {
        status.getJsonArray("partitions").stream().map(JsonObject.class::cast).forEach(p -> {
          roots.put(p.getInteger("partition"), p.getString("root"));
          homes.computeIfAbsent(p.getInteger("partition"), k -> new ArrayList<>()).add(node);
        });
      }
      rootsByNode.put(node, roots);
    }
    JsonObject cluster = admin.getOptional(nodes.get(0), "/cluster");
    int partitions = cluster.getJsonObject("ring").getInteger("partitions");
    List<RootAgreement.Divergence> divergent = new ArrayList<>(RootAgreement.divergent(rootsByNode,
        p -> homes.getOrDefault(p, List.of()), partitions));
    for (int p = 0; p < partitions; p++) {
      List<String> listed = homes.getOrDefault(p, List.of());
      int partition = p;
      if (listed.size() != replicas && divergent.stream().noneMatch(d -> d.partition() == partition)) {
        Map<String, String> roots = new LinkedHashMap<>();
        listed.forEach(node -> roots.put(node, rootsByNode.get(node).get(partition)));
        divergent.add(new RootAgreement.Divergence(p, roots));
      }
    }
    return new Result(partitions, divergent);
  }
}
