package io.ringkv.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** Drives a node's fault-injection endpoints ({@code /cluster/faults}) and reads its views. */
public final class ClusterFaults {
  private ClusterFaults() {}

  /** Replaces the node's faults: it drops everything to and from {@code nodes}. */
  public static void drop(HttpProbe node, Collection<String> nodes) {
    post(node, new JsonObject().put("drop", new JsonArray(List.copyOf(nodes))));
  }

  public static void post(HttpProbe node, JsonObject faults) {
    HttpProbe.Reply r = node.send("POST", "/cluster/faults", faults.encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    if (r.status() != 200) {
      throw new AssertionError("POST /cluster/faults answered " + r);
    }
  }

  public static void heal(HttpProbe node) {
    HttpProbe.Reply r = node.delete("/cluster/faults");
    if (r.status() != 204) {
      throw new AssertionError("DELETE /cluster/faults answered " + r);
    }
  }

  /** The status {@code node} reports for {@code member} in {@code /cluster}. */
  public static String status(HttpProbe node, String member) {
    for (Object o : node.get("/cluster").json().getJsonArray("nodes")) {
      JsonObject n = (JsonObject) o;
      if (member.equals(n.getString("id"))) {
        return n.getString("status");
      }
    }
    return "unknown";
  }

  /** Hint versions the node still keeps for others. */
  public static long pendingHints(HttpProbe node) {
    JsonObject pending = node.get("/cluster/hints").json().getJsonObject("pending");
    return pending.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
  }
}
