package io.ringkv.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The admin endpoints of the local cluster's nodes, as the chaos driver uses them: the members'
 * status as each node sees it, fault injection ({@code /cluster/faults}), pending hints and
 * preference lists. Every call is bounded; a node that does not answer is reported, not waited for.
 */
public final class ClusterAdmin {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final ChaosHttp http;
  private final ToIntFunction<String> ports;

  public ClusterAdmin(ChaosHttp http, ToIntFunction<String> ports) {
    this.http = http;
    this.ports = ports;
  }

  /** Each member's status ({@code up|suspect|down}) as {@code viewer} sees it. */
  public Map<String, String> statuses(String viewer) throws IOException, InterruptedException {
    JsonObject cluster = json(get(viewer, "/cluster"));
    Map<String, String> out = new TreeMap<>();
    for (Object o : cluster.getJsonArray("nodes")) {
      JsonObject m = (JsonObject) o;
      out.put(m.getString("id"), m.getString("status"));
    }
    return out;
  }

  /**
   * Whether every viewer answers and sees every one of {@code members} up and a member of the ring,
   * with no membership change running (a new cluster's nodes join one after another).
   */
  public boolean allUp(Collection<String> viewers, Collection<String> members) {
    for (String viewer : viewers) {
      try {
        JsonObject cluster = json(get(viewer, "/cluster"));
        JsonObject ring = cluster.getJsonObject("ring");
        if (ring == null || ring.getInteger("pending", 0) != 0) {
          return false;
        }
        Map<String, String> seen = new TreeMap<>();
        for (Object o : cluster.getJsonArray("nodes")) {
          JsonObject m = (JsonObject) o;
          seen.put(m.getString("id"), m.getString("status") + "/" + m.getString("membership", "member"));
        }
        for (String m : members) {
          if (!"up/member".equals(seen.get(m))) {
            return false;
          }
        }
      } catch (IOException | RuntimeException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Hint versions {@code node} holds, by target node (empty: none). */
  public Map<String, Long> pendingHints(String node) throws IOException, InterruptedException {
    JsonObject pending = json(get(node, "/cluster/hints")).getJsonObject("pending");
    Map<String, Long> out = new TreeMap<>();
    pending.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return out;
  }

  public JsonObject hints(String node) throws IOException, InterruptedException {
    return json(get(node, "/cluster/hints"));
  }

  /** Replaces {@code node}'s faults: it drops every message to and from {@code drop}. */
  public void drop(String node, Collection<String> drop) throws IOException, InterruptedException {
    byte[] body = new JsonObject().put("drop", new JsonArray(new ArrayList<>(drop))).encode()
        .getBytes(StandardCharsets.UTF_8);
    ChaosHttp.Reply r = http.send("POST", ports.applyAsInt(node), "/cluster/faults", body, TIMEOUT,
        "Content-Type", "application/json");
    if (r.status() != 200) {
      throw new IOException(node + " refused the faults: " + r.status() + " " + r.text());
    }
  }

  /** Heals every fault {@code node} injects. */
  public void heal(String node) throws IOException, InterruptedException {
    ChaosHttp.Reply r = http.send("DELETE", ports.applyAsInt(node), "/cluster/faults", null, TIMEOUT);
    if (r.status() != 204) {
      throw new IOException(node + " did not heal its faults: " + r.status() + " " + r.text());
    }
  }

  /** The key's home replicas, in preference order, as {@code node} sees the ring. */
  public List<String> homes(String node, String key) throws IOException, InterruptedException {
    JsonArray replicas = json(get(node, "/cluster/preference/" + ChaosHttp.encodeKey(key))).getJsonArray("replicas");
    List<String> out = new ArrayList<>();
    replicas.forEach(r -> out.add((String) r));
    return out;
  }

  /** {@code GET path} on the node; null when it answers 404 (an endpoint that does not exist yet). */
  public JsonObject getOptional(String node, String path) throws IOException, InterruptedException {
    ChaosHttp.Reply r = http.send("GET", ports.applyAsInt(node), path, null, TIMEOUT);
    return r.status() == 404 ? null : json(r);
  }

  public ChaosHttp.Reply post(String node, String path) throws IOException, InterruptedException {
    return http.send("POST", ports.applyAsInt(node), path, new byte[0], TIMEOUT);
  }

  private ChaosHttp.Reply get(String node, String path) throws IOException, InterruptedException {
    return http.send("GET", ports.applyAsInt(node), path, null, TIMEOUT);
  }

  private static JsonObject json(ChaosHttp.Reply r) throws IOException {
    if (r.status() != 200) {
      throw new IOException("status " + r.status() + ": " + r.text());
    }
    return new JsonObject(r.text());
  }
}
