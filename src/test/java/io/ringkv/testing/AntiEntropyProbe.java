package io.ringkv.testing;

import io.ringkv.merkle.RootAgreement;
import io.ringkv.node.RingkvNode;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drives a node's anti-entropy through its endpoints and compares replicas' Merkle roots. */
public final class AntiEntropyProbe {
  private AntiEntropyProbe() {}

  /** Runs one full pass on the node ({@code POST /cluster/antientropy/run}) and waits until it finished. */
  public static JsonObject runPass(HttpProbe node, long timeoutSeconds) {
    long before = System.currentTimeMillis();
    TestCluster.await(timeoutSeconds, "a pass starts on port " + node.port(), () -> {
      HttpProbe.Reply r = node.send("POST", "/cluster/antientropy/run", null);
      if (r.status() != 202 && r.status() != 409) {
        throw new AssertionError("POST /cluster/antientropy/run answered " + r);
      }
      return r.status() == 202;
    });
    JsonObject[] status = new JsonObject[1];
    TestCluster.await(timeoutSeconds, "the pass on port " + node.port() + " finishes", () -> {
      status[0] = node.get("/cluster/antientropy").json();
      Long finished = status[0].getLong("lastPassFinishedMs");
      return !status[0].getBoolean("running") && finished != null && finished >= before;
    });
    return status[0];
  }

  /** Partition to root (hex, null while building) as the node reports them. */
  public static Map<Integer, String> roots(HttpProbe node) {
    Map<Integer, String> roots = new HashMap<>();
    node.get("/cluster/antientropy").json().getJsonArray("partitions").forEach(o -> {
      JsonObject p = (JsonObject) o;
      roots.put(p.getInteger("partition"), p.getString("root"));
    });
    return roots;
  }

  /** Partitions whose live home replicas among {@code nodes} report different roots. */
  public static List<RootAgreement.Divergence> divergent(List<RingkvNode> nodes) {
    Map<String, Map<Integer, String>> byNode = new HashMap<>();
    for (RingkvNode node : nodes) {
      byNode.put(node.id(), roots(new HttpProbe(node.httpPort())));
    }
    RingkvNode any = nodes.get(0);
    int n = any.config().n();
    return RootAgreement.divergent(byNode, p -> any.cluster().ringState().homes(p, n),
        any.config().partitions());
  }
}
