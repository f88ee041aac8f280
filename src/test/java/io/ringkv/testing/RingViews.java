package io.ringkv.testing;

import io.ringkv.cli.ClusterAdmin;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The ring as the nodes of a process cluster report it ({@code /cluster}, {@code /cluster/ring}):
 * waits until they agree on one settled ring, and compares owner arrays.
 */
public final class RingViews {
  private final ClusterAdmin admin;

  public RingViews(ClusterAdmin admin) {
    this.admin = admin;
  }

  /** {@code GET /cluster/ring} of the node, or null if it does not answer. */
  public JsonObject ring(String node) {
    try {
      return admin.getOptional(node, "/cluster/ring");
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** {@code GET /cluster} of the node, or null if it does not answer. */
  public JsonObject cluster(String node) {
    try {
      return admin.getOptional(node, "/cluster");
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Each node's membership state as {@code viewer} reports it. */
  public Map<String, String> memberships(String viewer) {
    Map<String, String> out = new TreeMap<>();
    JsonObject view = cluster(viewer);
    if (view != null) {
      for (Object o : view.getJsonArray("nodes")) {
        JsonObject n = (JsonObject) o;
        out.put(n.getString("id"), n.getString("membership"));
      }
    }
    return out;
  }

  /**
   * Waits until every viewer holds the same ring (version and owners), with nothing moving and the
   * {@code expected} membership states; returns that ring.
   */
  public JsonObject awaitSettled(Collection<String> viewers, Map<String, String> expected, long timeoutMs)
      throws InterruptedException {
    long start = System.nanoTime();
    String last = "";
    while (true) {
      JsonObject agreed = null;
      boolean settled = true;
      for (String viewer : viewers) {
        JsonObject view = cluster(viewer);
        JsonObject ring = ring(viewer);
        Map<String, String> states = memberships(viewer);
        boolean ok = view != null && ring != null && view.getJsonObject("ring").getInteger("pending", -1) == 0
            && ring.getJsonArray("moving").isEmpty()
            && expected.entrySet().stream().allMatch(e -> e.getValue().equals(states.get(e.getKey())))
            && (agreed == null || sameRing(agreed, ring));
        if (!ok) {
          last = viewer + ": " + (ring == null ? "no answer" : "version " + ring.getInteger("version") + ", moving "
              + ring.getJsonArray("moving").size() + ", " + states);
          settled = false;
          break;
        }
        agreed = ring;
      }
      if (settled) {
        return agreed;
      }
      if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) > timeoutMs) {
        throw new AssertionError("the nodes " + viewers + " did not settle on one ring with " + expected + " within "
            + timeoutMs + " ms; last: " + last);
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  /** Waits until {@code viewer} reports a copy of the running change that has started but not finished. */
  public JsonObject awaitCopyUnderWay(String viewer, long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < timeoutMs) {
      JsonObject ring = ring(viewer);
      if (ring != null) {
        JsonArray moving = ring.getJsonArray("moving");
        long done = moving.stream().filter(m -> ((JsonObject) m).getBoolean("done", false)).count();
        long started = moving.stream().filter(m -> ((JsonObject) m).getLong("keysSent", 0L) > 0).count();
        if (started > 0 && done < moving.size() / 2 && done > 0) {
          return ring;
        }
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("no copy under way on " + viewer + " within " + timeoutMs + " ms: " + ring(viewer));
  }

  private static boolean sameRing(JsonObject a, JsonObject b) {
    return a.getInteger("version").equals(b.getInteger("version")) && a.getJsonArray("owners").equals(
        b.getJsonArray("owners"));
  }

  public static List<String> owners(JsonObject ring) {
    List<String> out = new ArrayList<>();
    ring.getJsonArray("owners").forEach(o -> out.add((String) o));
    return out;
  }

  /** Partitions whose owner differs between the two rings, by new owner. */
  public static Map<String, Integer> moved(JsonObject before, JsonObject after) {
    List<String> a = owners(before);
    List<String> b = owners(after);
    Map<String, Integer> out = new TreeMap<>();
    for (int p = 0; p < a.size(); p++) {
      if (!a.get(p).equals(b.get(p))) {
        out.merge(b.get(p), 1, Integer::sum);
      }
    }
    return out;
  }

  /** Partitions per owner. */
  public static Map<String, Integer> counts(JsonObject ring) {
    Map<String, Integer> out = new TreeMap<>();
    owners(ring).forEach(o -> out.merge(o, 1, Integer::sum));
    return out;
  }
}
