package io.ringkv.merkle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Whether the replicas of every partition hold the same data, judged by their Merkle roots as
 * each node reports them ({@code GET /cluster/antientropy}, {@code partitions[].root}): the check
 * a fault test runs after healing and one anti-entropy pass. Pure.
 */
public final class RootAgreement {
  private RootAgreement() {}

  /** A partition whose home replicas report different roots (null: no root from that node). */
  public record Divergence(int partition, Map<String, String> roots) {}

  /**
   * @param rootsByNode node id to (partition to root in hex, null while its tree is being built);
   *     a node missing here is reported with null roots
   * @param homes the home replicas of a partition
   * @return every partition whose homes do not all report one and the same root
   */
  public static List<Divergence> divergent(Map<String, Map<Integer, String>> rootsByNode,
      IntFunction<List<String>> homes, int partitions) {
    List<Divergence> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      Map<String, String> roots = new LinkedHashMap<>();
      for (String node : homes.apply(p)) {
        Map<Integer, String> reported = rootsByNode.get(node);
        roots.put(node, reported == null ? null : reported.get(p));
      }
      boolean agree = !roots.isEmpty() && !roots.containsValue(null)
          && roots.values().stream().distinct().count() == 1;
      if (!agree) {
        out.add(new Divergence(p, roots));
      }
    }
    return out;
  }

  /** A root as the API shows it: 16 lowercase hex digits. */
  public static String hex(long root) {
    return String.format("%016x", root);
  }
}
