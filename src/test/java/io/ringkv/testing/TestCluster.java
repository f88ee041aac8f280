package io.ringkv.testing;

import io.ringkv.node.RingkvNode;
import io.ringkv.storage.StorageEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/** Several clustered nodes (Hazelcast on loopback, our gossip) inside the test JVM. */
public final class TestCluster implements AutoCloseable {
  private final List<RingkvNode> nodes = new ArrayList<>();

  private TestCluster() {}

  public static TestCluster start(int size, Path dataDir, Map<String, String> extraFlags) {
    return start(size, dataDir, extraFlags, index -> UnaryOperator.identity());
  }

  /** As above, with node i's (1-based) storage engine wrapped by {@code engines.apply(i)} (fault injection). */
  public static TestCluster start(int size, Path dataDir, Map<String, String> extraFlags,
      IntFunction<UnaryOperator<StorageEngine>> engines) {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clusterPorts.add(TestNodes.freePort());
    }
    String seeds = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    TestCluster cluster = new TestCluster();
    List<Future<RingkvNode>> starting = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Map<String, String> flags = new LinkedHashMap<>();
      flags.put("id", "n" + (i + 1));
      flags.put("host", "127.0.0.1");
      flags.put("join", "tcp");
      flags.put("cluster-port", Integer.toString(clusterPorts.get(i)));
      flags.put("seeds", seeds);
      flags.put("http-port", Integer.toString(TestNodes.freePort()));
      flags.put("data-dir", dataDir.resolve("n" + (i + 1)).toString());
      flags.put("n", Integer.toString(Math.min(3, size)));
      flags.put("r", "2");
      flags.put("w", "2");
      flags.put("gossip-interval-ms", "200");
      flags.put("suspect-after-ms", "1500");
      flags.put("down-after-ms", "3000");
      flags.putAll(extraFlags);
      starting.add(RingkvNode.start(TestNodes.config(flags), engines.apply(i + 1)));
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

  /** Waits until every node sees every member up and all agree on the ring. */
  public void awaitConverged(int members) {
    await(120, "every node sees " + members + " members up with one ring", () -> {
      JsonObject first = null;
      for (RingkvNode node : nodes) {
        JsonObject cluster = new HttpProbe(node.httpPort()).get("/cluster").json();
        long up = cluster.getJsonArray("nodes").stream().map(JsonObject.class::cast)
            .filter(n -> "up".equals(n.getString("status"))).count();
        if (up != members) {
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
