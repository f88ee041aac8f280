package io.ringkv.testing;

import io.ringkv.node.RingkvNode;
import io.ringkv.storage.StorageEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Several clustered nodes (Hazelcast on loopback, our gossip) inside the test JVM. */
public final class TestCluster implements AutoCloseable {
  private final List<RingkvNode> nodes = new ArrayList<>();

  private String seeds;
  private Path dataDir;
  private Map<String, String> extraFlags;
  private IntFunction<Map<String, String>> perNodeFlags = i -> Map.of();
  private int n;

  private TestCluster() {}

  public static TestCluster start(int size, Path dataDir, Map<String, String> extraFlags) {
    return start(size, dataDir, extraFlags, index -> UnaryOperator.identity());
  }

  /** As above, with node i's (1-based) storage engine wrapped by {@code engines.apply(i)} (fault injection). */
  public static TestCluster start(int size, Path dataDir, Map<String, String> extraFlags,
      IntFunction<UnaryOperator<StorageEngine>> engines) {
    return start(size, dataDir, extraFlags, engines, i -> Map.of());
  }

  /** As above, node i (1-based) also given {@code perNode.apply(i)} (its DC, say). */
  public static TestCluster startEach(int size, Path dataDir, Map<String, String> extraFlags,
      IntFunction<Map<String, String>> perNode) {
    return start(size, dataDir, extraFlags, index -> UnaryOperator.identity(), perNode);
  }

  /**
   * A port found free may be taken (by an outgoing connection's ephemeral port, say) before the node
   * binds it: then the nodes start again, empty, on other ports.
   */
  private static TestCluster start(int size, Path dataDir, Map<String, String> extraFlags,
      IntFunction<UnaryOperator<StorageEngine>> engines, IntFunction<Map<String, String>> perNode) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(size, dataDir, extraFlags, engines, perNode);
      } catch (IllegalStateException e) {
        if (attempt == 3 || !portTaken(e)) {
          throw e;
        }
        for (int i = 1; i <= size; i++) {
          deleteTree(dataDir.resolve("n" + i));
        }
      }
    }
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestCluster startOnce(int size, Path dataDir, Map<String, String> extraFlags,
      IntFunction<UnaryOperator<StorageEngine>> engines, IntFunction<Map<String, String>> perNode) {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clusterPorts.add(TestNodes.freePort());
    }
    TestCluster cluster = new TestCluster();
    cluster.seeds = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    cluster.dataDir = dataDir;
    cluster.extraFlags = Map.copyOf(extraFlags);
    cluster.perNodeFlags = perNode;
    cluster.n = Math.min(3, size);
    List<Future<RingkvNode>> starting = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      starting.add(RingkvNode.start(TestNodes.config(cluster.flags("n" + (i + 1), clusterPorts.get(i))),
          engines.apply(i + 1)));
    }
    try {
      for (Future<RingkvNode> f : starting) {
        cluster.nodes.add(f.await(120, TimeUnit.SECONDS));
      }
    } catch (Exception e) {
      cluster.close();
      throw new IllegalStateException("cluster did not start", e);
    }
    cluster.awaitConverged(size);
    return cluster;
  }

  private Map<String, String> flags(String id, int clusterPort) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("id", id);
    flags.put("host", "127.0.0.1");
    flags.put("join", "tcp");
    flags.put("cluster-port", Integer.toString(clusterPort));
    flags.put("seeds", seeds);
    flags.put("http-port", Integer.toString(TestNodes.freePort()));
    flags.put("data-dir", dataDir.resolve(id).toString());
    flags.put("n", Integer.toString(n));
    flags.put("r", "2");
    flags.put("w", "2");
    flags.put("gossip-interval-ms", "200");
    flags.put("suspect-after-ms", "1500");
    flags.put("down-after-ms", "3000");
    flags.putAll(extraFlags);
    flags.putAll(perNodeFlags.apply(Integer.parseInt(id.substring(1))));
    return flags;
  }

  /**
   * Starts one more node with the cluster's seeds (a new node joining, or a stopped one coming
   * back with its data dir) and returns once it serves; it is node {@code nodes().size()} after.
   */
  public RingkvNode add(String id, Map<String, String> more) {
    Map<String, String> flags = flags(id, TestNodes.freePort());
    flags.putAll(more);
    try {
      RingkvNode node = RingkvNode.start(TestNodes.config(flags)).await(120, TimeUnit.SECONDS);
      nodes.add(node);
      return node;
    } catch (Exception e) {
      throw new IllegalStateException("node " + id + " did not start", e);
    }
  }

  /** Stops a node (its data dir stays); the others see it go down. */
  public void stop(String id) {
    RingkvNode node = nodes.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    nodes.remove(node);
    TestNodes.stop(node);
  }

  public HttpProbe http(String id) {
    return new HttpProbe(nodes.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow().httpPort());
  }

  /**
   * Waits until every node sees every member up, every one of them a {@code member} of the ring
   * (the joins have finished), and all hold the same ring.
   */
  public void awaitConverged(int members) {
    await(120, "every node sees " + members + " members up with one ring", () -> {
      JsonObject first = null;
      for (RingkvNode node : nodes) {
        JsonObject cluster = new HttpProbe(node.httpPort()).get("/cluster").json();
        long up = cluster.getJsonArray("nodes").stream().map(JsonObject.class::cast)
            .filter(n -> "up".equals(n.getString("status")) && "member".equals(n.getString("membership"))).count();
        if (up != members || cluster.getJsonObject("ring") == null
            || cluster.getJsonObject("ring").getInteger("pending") != 0
            || node.cluster().previousRing() != null) { // writes still also reach the homes of before
          return false;
        }
        if (first != null && !first.getJsonObject("ring").equals(cluster.getJsonObject("ring"))) {
          return false;
        }
        first = cluster;
      }
      return true;
    });
  }

  public RingkvNode node(int index) {
    return nodes.get(index - 1);
  }

  public HttpProbe http(int index) {
    return new HttpProbe(node(index).httpPort());
  }

  public List<RingkvNode> nodes() {
    return List.copyOf(nodes);
  }

  public static void await(long seconds, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet: a node may still be starting
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
  }

  @Override
  public void close() {
    for (RingkvNode node : nodes) {
      try {
        TestNodes.stop(node);
      } catch (RuntimeException e) {
        System.err.println("stopping " + node.id() + ": " + e.getMessage());
      }
    }
  }
}
