package io.ringkv.cli;

import io.ringkv.chaos.FinalState;
import io.ringkv.chaos.KeyState;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The end of a chaos run, once every fault is healed: waits until every node sees every member up
 * and no node holds hints any more (and for an anti-entropy pass, where the nodes offer one), reads
 * each key from each of its home replicas alone (that node cut off from the others, {@code r=1}),
 * then from every node with {@code r=all}. What it read is the checker's {@link FinalState}.
 */
public final class Readback {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(8);
  private static final int ATTEMPTS = 5;

  /** How the hint wait ended: drained or not, how long it took, what was left. */
  public record HintWait(boolean drained, long waitedMs, long pendingAtStart, Map<String, Map<String, Long>> left,
      long delivered) {}

  private final ClusterAdmin admin;
  private final ChaosHttp http;
  private final NodeRouter router;
  private final List<String> nodes;
  private final List<String> keys;
  private final Consumer<String> log;

  public Readback(ClusterAdmin admin, ChaosHttp http, NodeRouter router, List<String> keys, Consumer<String> log) {
    this.admin = admin;
    this.http = http;
    this.router = router;
    this.nodes = List.copyOf(router.nodes());
    this.keys = List.copyOf(keys);
    this.log = log;
  }

  /** Waits until every node sees every member up; returns the ms it took. */
  public long awaitAllUp(long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    while (!admin.allUp(nodes, nodes)) {
      if (elapsedMs(start) > timeoutMs) {
        throw new IllegalStateException("the nodes did not all see each other up within " + timeoutMs + " ms");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return elapsedMs(start);
  }

  /** Waits (bounded) until no node holds a hint for another. */
  public HintWait awaitHints(long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    long atStart = -1;
    Map<String, Map<String, Long>> pending = new TreeMap<>();
    while (true) {
      pending.clear();
      long total = 0;
      for (String node : nodes) {
        try {
          Map<String, Long> p = admin.pendingHints(node);
          if (!p.isEmpty()) {
            pending.put(node, p);
            total += p.values().stream().mapToLong(Long::longValue).sum();
          }
        } catch (IOException e) {
          pending.put(node, Map.of("unanswered", -1L));
          total++;
        }
      }
      atStart = atStart < 0 ? total : atStart;
      if (total == 0 || elapsedMs(start) > timeoutMs) {
        return new HintWait(total == 0, elapsedMs(start), atStart, Map.copyOf(pending), delivered());
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private long delivered() {
    long sum = 0;
    for (String node : nodes) {
      try {
        sum += admin.hints(node).getLong("delivered", 0L);
      } catch (IOException e) {
        log.accept("warning: " + node + " did not report its hints: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return sum;
  }

  /**
   * Runs one anti-entropy pass on every node and waits for it, where the nodes offer it
   * ({@code /cluster/antientropy}); returns false when they do not.
   */
  public boolean runAntiEntropy(long timeoutMs) throws IOException, InterruptedException {
    if (admin.getOptional(nodes.get(0), "/cluster/antientropy") == null) {
      return false;
    }
    long start = System.nanoTime();
    // A node restarted by the run rebuilds its trees first; a pass skips a partition without one.
    for (String node : nodes) {
      while (true) {
        JsonObject trees = admin.getOptional(node, "/cluster/antientropy").getJsonObject("trees");
        if (trees == null || trees.getLong("building", 0L) == 0) {
          break;
        }
        if (elapsedMs(start) > timeoutMs) {
          throw new IllegalStateException(node + " did not finish building its Merkle trees within " + timeoutMs + " ms");
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }
    long since = System.currentTimeMillis();
    for (String node : nodes) {
      admin.post(node, "/cluster/antientropy/run"); // 202, or 409 when one is already running
    }
    for (String node : nodes) {
      while (true) {
        JsonObject status = admin.getOptional(node, "/cluster/antientropy");
        Long finished = status == null ? null : status.getLong("lastPassFinishedMs");
        if (status != null && !status.getBoolean("running", false) && finished != null && finished >= since) {
          break;
        }
        if (elapsedMs(start) > timeoutMs) {
          throw new IllegalStateException("anti-entropy did not finish on " + node + " within " + timeoutMs + " ms");
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }
    return true;
  }

  /** Compares the Merkle roots every partition's homes report (after {@link #runAntiEntropy}). */
  RootCheck.Result roots(int replicas) throws IOException, InterruptedException {
    return RootCheck.run(admin, nodes, replicas);
  }

  /** Each key's home replicas, from the first node's ring. */
  public Map<String, List<String>> homes() throws IOException, InterruptedException {
    Map<String, List<String>> homes = new TreeMap<>();
    for (String key : keys) {
      homes.put(key, admin.homes(nodes.get(0), key));
    }
    return homes;
  }

  /**
   * What each home replica holds on its own: the node is cut off from every other (fault
   * injection), so its {@code r=1} read can only count its own copy; then it is healed.
   */
  public Map<String, Map<String, KeyState>> replicaStates(Map<String, List<String>> homes, Map<String, String> errors)
      throws IOException, InterruptedException {
    Map<String, Map<String, KeyState>> states = new TreeMap<>();
    for (String node : nodes) {
      List<String> others = nodes.stream().filter(n -> !n.equals(node)).toList();
      admin.drop(node, others);
      try {
        for (String key : keys) {
          if (homes.get(key).contains(node)) {
            KeyState state = read(node, key, "1", errors);
            if (state != null) {
              states.computeIfAbsent(key, k -> new TreeMap<>()).put(node, state);
            }
          }
        }
      } finally {
        admin.heal(node);
      }
    }
    return states;
  }

  /** Every key read by every node at {@code r=all}. */
  public FinalState finalState(Map<String, Map<String, KeyState>> replicas, Map<String, String> errors)
      throws InterruptedException {
    Map<String, Map<String, KeyState>> coordinators = new TreeMap<>();
    for (String node : nodes) {
      for (String key : keys) {
        KeyState state = read(node, key, "all", errors);
        if (state != null) {
          coordinators.computeIfAbsent(key, k -> new HashMap<>()).put(node, state);
        }
      }
    }
    return new FinalState(coordinators, replicas, errors);
  }

  /** Reads the key through {@code node} (a few attempts); null and an entry in {@code errors} if it never answers. */
  private KeyState read(String node, String key, String r, Map<String, String> errors) throws InterruptedException {
    String last = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        ChaosHttp.Reply reply = http.send("GET", router.port(node), "/kv/" + ChaosHttp.encodeKey(key) + "?r=" + r
            + "&timeout=3000", null, READ_TIMEOUT, "Accept", "application/json");
        KeyState state = SiblingValues.keyState(reply);
        if (state != null) {
          return state;
        }
        last = reply.status() + " " + reply.text();
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + " " + e.getMessage();
      }
      TimeUnit.MILLISECONDS.sleep(500L * attempt);
    }
    errors.put(key, (errors.containsKey(key) ? errors.get(key) + "; " : "") + node + " (r=" + r + "): " + last);
    log.accept("warning: " + node + " could not read " + key + " at r=" + r + ": " + last);
    return null;
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
