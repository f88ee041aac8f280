package io.ringkv.testing;

import io.ringkv.chaos.FinalState;
import io.ringkv.chaos.History;
import io.ringkv.chaos.KeyState;
import io.ringkv.cli.ChaosHttp;
import io.ringkv.cli.ChaosWorkload;
import io.ringkv.cli.ClusterAdmin;
import io.ringkv.cli.LocalCluster;
import io.ringkv.cli.NodeRouter;
import io.ringkv.cli.Readback;
import io.ringkv.cli.SiblingValues;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real node processes for the fault tests, on the same machinery as {@code ringkv
 * chaos} ({@link LocalCluster}, its workload, its read-back): kill -9, SIGSTOP/SIGCONT and
 * partitions through the fault endpoints, with the history checker at the end.
 */
public final class ProcessCluster implements AutoCloseable {
  private static final List<String> JVM_FLAGS = List.of("-XX:+UseG1GC", "-Xmx512m",
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-Djava.util.logging.config.file=" + Path.of("src/test/resources/logging.properties").toAbsolutePath());

  public final LocalCluster nodes;
  public final NodeRouter router;
  public final ChaosHttp http = new ChaosHttp("127.0.0.1", Duration.ofSeconds(2));
  public final ClusterAdmin admin;

  private ProcessCluster(LocalCluster nodes) {
    this.nodes = nodes;
    Map<String, Integer> ports = new TreeMap<>();
    nodes.ids().forEach(id -> ports.put(id, nodes.httpPort(id)));
    this.router = new NodeRouter(ports);
    this.admin = new ClusterAdmin(http, router::port);
  }

  /** Starts {@code size} nodes n1..nK (fault injection on, {@code flags} on top) and waits until all see all up. */
  public static ProcessCluster start(Path dir, int size, Map<String, String> flags) throws Exception {
    return start(dir, size, size, flags, JVM_FLAGS, id -> Map.of());
  }

  /** As above with these JVM flags, and node {@code id} also given {@code perNode.apply(id)} (its DC, say). */
  public static ProcessCluster start(Path dir, int size, Map<String, String> flags, List<String> jvmFlags,
      java.util.function.Function<String, Map<String, String>> perNode) throws Exception {
    return start(dir, size, size, flags, jvmFlags, perNode);
  }

  /**
   * Places {@code size} nodes n1..nK (each one's seeds are all of them) but starts only the first
   * {@code initially} and waits until those see each other up; the others, taken out of the
   * router, can join later ({@code nodes.start(id)}).
   */
  public static ProcessCluster start(Path dir, int size, int initially, Map<String, String> flags) throws Exception {
    return start(dir, size, initially, flags, JVM_FLAGS, id -> Map.of());
  }

  private static ProcessCluster start(Path dir, int size, int initially, Map<String, String> flags,
      List<String> jvmFlags, java.util.function.Function<String, Map<String, String>> perNode) throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("fault-injection", "true");
    all.put("http-instances", "1");
    all.putAll(flags);
    LocalCluster nodes = new LocalCluster(NodeProcess.jar().toAbsolutePath(), dir, size, 0, 0, jvmFlags, all,
        line -> System.out.println("[cluster] " + line));
    nodes.ids().forEach(id -> nodes.nodeFlags(id, perNode.apply(id)));
    ProcessCluster cluster = new ProcessCluster(nodes);
    List<String> first = nodes.ids().subList(0, initially);
    nodes.ids().subList(initially, size).forEach(cluster.router::takeOut);
    try {
      for (String id : first) {
        nodes.start(id);
      }
      for (String id : first) {
        nodes.awaitReady(id, 240_000);
      }
      cluster.awaitAllUp(first, 180_000);
      if (nodes.blockedThreadReports() > 0) {
        System.out.println("MEASURE blocked-thread reports while " + size + " nodes started together: "
            + nodes.blockedThreadLines());
      }
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The JVM flags of every node process, with {@code -Xmx512m} replaced by {@code heap}. */
  public static List<String> jvmFlagsWithHeap(String heap) {
    return JVM_FLAGS.stream().map(f -> f.startsWith("-Xmx") ? heap : f).toList();
  }

  public List<String> ids() {
    return nodes.ids();
  }

  public HttpProbe http(String node) {
    return new HttpProbe(nodes.httpPort(node));
  }

  /** Waits until each of {@code members} sees all of them up and ring members, with no change running. */
  public void awaitAllUp(List<String> members, long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    while (!admin.allUp(members, members)) {
      if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) > timeoutMs) {
        throw new AssertionError(members + " did not all see each other up within " + timeoutMs + " ms");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** The read-back over only {@code members} (the nodes still in the cluster after some left). */
  public Readback readback(List<String> members, List<String> keys) {
    Map<String, Integer> ports = new TreeMap<>();
    members.forEach(id -> ports.put(id, nodes.httpPort(id)));
    NodeRouter only = new NodeRouter(ports);
    return new Readback(new ClusterAdmin(http, only::port), http, only, keys,
        line -> System.out.println("[readback] " + line));
  }

  public Readback readback(List<String> keys) {
    return new Readback(admin, http, router, keys, line -> System.out.println("[readback] " + line));
  }

  /** A steady mixed load on {@code keys} through the router's nodes (see {@link ChaosWorkload}). */
  public ChaosWorkload load(History history, List<String> keys, int clients, double opsPerSecond, long seed) {
    return new ChaosWorkload(http, history, router,
        new ChaosWorkload.Settings(keys, clients, opsPerSecond, seed, "2", "2", 3_000, 6_000));
  }

  /**
   * Polls every viewer until it reports each of {@code members} with {@code status}; returns, per
   * member and viewer, the ms from {@code sinceNanos} to the first poll that saw it (polls every
   * 50 ms, so up to 50 ms late on an idle machine).
   */
  public Map<String, Map<String, Long>> awaitStatus(Collection<String> viewers, Collection<String> members,
      String status, long sinceNanos, long timeoutMs) throws InterruptedException {
    Map<String, Map<String, Long>> seenAt = new TreeMap<>();
    members.forEach(m -> seenAt.put(m, new TreeMap<>()));
    while (seenAt.values().stream().anyMatch(byViewer -> byViewer.size() < viewers.size())) {
      for (String viewer : viewers) {
        Map<String, String> statuses = statuses(viewer);
        for (String member : members) {
          if (!seenAt.get(member).containsKey(viewer) && status.equals(statuses.get(member))) {
            seenAt.get(member).put(viewer, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos));
          }
        }
      }
      if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos) > timeoutMs) {
        throw new AssertionError("not every node saw " + members + " " + status + " within " + timeoutMs
            + " ms; so far " + seenAt);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return seenAt;
  }

  /** The latest of the times {@link #awaitStatus} measured. */
  public static long latest(Map<String, Map<String, Long>> seenAt) {
    return seenAt.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).max().orElse(0);
  }

  /**
   * What {@code node} alone holds for each key: every other node is paused (SIGSTOP), so its
   * {@code r=1} read can only count its own copy; the others are resumed afterwards.
   */
  public Map<String, KeyState> readAlone(String node, Collection<String> keys) throws Exception {
    List<String> others = nodes.ids().stream().filter(n -> !n.equals(node)).toList();
    others.forEach(nodes::pause);
    try {
      Map<String, KeyState> states = new TreeMap<>();
      for (String key : keys) {
        ChaosHttp.Reply reply = http.send("GET", nodes.httpPort(node), "/kv/" + ChaosHttp.encodeKey(key)
            + "?r=1&timeout=2000", null, Duration.ofSeconds(10), "Accept", "application/json");
        KeyState state = SiblingValues.keyState(reply);
        if (state == null) {
          throw new AssertionError(node + " alone did not answer " + key + " at r=1: " + reply.status() + " "
              + reply.text());
        }
        states.put(key, state);
      }
      return states;
    } finally {
      others.forEach(nodes::resume);
    }
  }

  private Map<String, String> statuses(String viewer) {
    try {
      return admin.statuses(viewer);
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /** Total hint versions the running nodes hold for others. */
  public long pendingHints() throws Exception {
    long total = 0;
    for (String node : nodes.ids()) {
      if (!nodes.isRunning(node)) {
        continue;
      }
      total += admin.pendingHints(node).values().stream().mapToLong(Long::longValue).sum();
    }
    return total;
  }

  /** Reads every key from every node at r=all, with {@code replicas} as the per-replica states. */
  public FinalState finalState(List<String> keys, Map<String, Map<String, KeyState>> replicas) throws Exception {
    return readback(keys).finalState(replicas, new TreeMap<>());
  }

  /** Each key's home replicas. */
  public Map<String, List<String>> homes(List<String> keys) throws Exception {
    Map<String, List<String>> homes = new HashMap<>();
    for (String key : keys) {
      homes.put(key, admin.homes(nodes.ids().get(0), key));
    }
    return homes;
  }

  public static List<String> keys(String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(prefix + i);
    }
    return keys;
  }

  /** Copies every node's log to {@code to} (the cluster's own dir is a temporary one). */
  public void copyLogs(Path to) throws IOException {
    java.nio.file.Files.createDirectories(to);
    for (String id : nodes.ids()) {
      if (java.nio.file.Files.exists(nodes.logFile(id))) {
        java.nio.file.Files.copy(nodes.logFile(id), to.resolve(id + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Fails if a node reported a blocked Vert.x thread (with the reports and what the nodes logged next). */
  public void assertNoBlockedThreads() {
    assertNoBlockedThreadsSince(0);
  }

  /**
   * Fails if a node that was serving reported a blocked Vert.x thread after the first
   * {@code reportsBefore} such reports ({@link #blockedWhileServing()} when the phase under test
   * began). Reports of a process that is still starting (before its ready line) are printed, not
   * failed: on 2 shared cores, a JVM (re)starting beside four loaded ones can starve its loop.
   */
  public void assertNoBlockedThreadsSince(int reportsBefore) {
    if (blockedWhileServing() > reportsBefore) {
      throw new AssertionError((blockedWhileServing() - reportsBefore) + " blocked-thread reports in the node"
          + " logs (" + reportsBefore + " before):\n" + String.join("\n", nodes.blockedThreadLines()));
    }
    if (nodes.blockedThreadReportsWhileStarting() > 0) {
      System.out.println("MEASURE blocked-thread reports of starting nodes: " + nodes.blockedThreadLines());
    }
  }

  /** Blocked-thread reports of nodes after their ready line. */
  public int blockedWhileServing() {
    return nodes.blockedThreadReports() - nodes.blockedThreadReportsWhileStarting();
  }

  @Override
  public void close() {
    nodes.close();
  }
}
