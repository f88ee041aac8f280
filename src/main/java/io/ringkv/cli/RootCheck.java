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
    Map<String, JsonObject> statuses = new LinkedHashMap<>();
    for (String node : nodes) {
      statuses.put(node, admin.getOptional(node, "/cluster/antientropy"));
    }
    int partitions = admin.getOptional(nodes.get(0), "/cluster").getJsonObject("ring").getInteger("partitions");
    return compare(statuses, partitions, replicas);
  }

  /** Pure: each node's {@code /cluster/antientropy} answer (null if it gave none) to the verdict. */
  static Result compare(Map<String, JsonObject> statuses, int partitions, int replicas) {
    Map<String, Map<Integer, String>> rootsByNode = new HashMap<>();
    Map<Integer, List<String>> homes = new TreeMap<>();
    statuses.forEach((node, status) -> {
      Map<Integer, String> roots = new LinkedHashMap<>();
      if (status != null) {
        status.getJsonArray("partitions").stream().map(JsonObject.class::cast).forEach(p -> {
          roots.put(p.getInteger("partition"), p.getString("root"));
          homes.computeIfAbsent(p.getInteger("partition"), k -> new ArrayList<>()).add(node);
        });
      }
      rootsByNode.put(node, roots);
    });
    List<RootAgreement.Divergence> divergent = new ArrayList<>();
    for (RootAgreement.Divergence d : RootAgreement.divergent(rootsByNode, p -> homes.getOrDefault(p, List.of()),
        partitions)) {
      divergent.add(d);
    }
    for (int p = 0; p < partitions; p++) {
      List<String> listed = homes.getOrDefault(p, List.of());
      int partition = p;
      if (!listed.isEmpty() && listed.size() != replicas
          && divergent.stream().noneMatch(d -> d.partition() == partition)) {
        Map<String, String> roots = new LinkedHashMap<>();
        listed.forEach(node -> roots.put(node, rootsByNode.get(node).get(partition)));
        divergent.add(new RootAgreement.Divergence(p, roots));
      }
    }
    return new Result(partitions, divergent);
  }
}
