package io.ringkv.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringkv dev}: a local cluster of separate JVM processes on loopback, one per node, with
 * distinct ports and data directories. Prints each node's URL once all are ready and stops them
 * all on Ctrl-C.
 */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Start a local multi-process cluster.")
public final class DevCommand implements Callable<Integer> {

  @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--base-http-port", defaultValue = "8081", description = "HTTP port of n1 (default ${DEFAULT-VALUE})")
  int baseHttpPort;

  @Option(names = "--base-cluster-port", defaultValue = "5701", description = "Hazelcast port of n1 (default ${DEFAULT-VALUE})")
  int baseClusterPort;

  @Option(names = "--data-dir", defaultValue = "./data", description = "Parent of the nodes' data dirs (default ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--durability", defaultValue = "async", description = "async|sync (default ${DEFAULT-VALUE})")
  String durability;

  @Option(names = "--conflicts", defaultValue = "siblings", description = "siblings|lww (default ${DEFAULT-VALUE})")
  String conflicts;

  @Option(names = "--engine", description = "leveldb|rocksdb: the nodes' storage engine (default: as a node chooses)")
  String engine;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the nodes bind (default ${DEFAULT-VALUE})")
  String host;

  private final List<Process> children = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > 9) {
      System.err.println("ringkv: --nodes must be 1..9");
      return 2;
    }
    CountDownLatch ready = new CountDownLatch(nodes);
    Signals.onTermination(this::stopAll);
    for (int i = 1; i <= nodes; i++) {
      children.add(startNode(i, ready));
    }
    if (!ready.await(180, TimeUnit.SECONDS)) {
      System.err.println("ringkv: the cluster did not become ready within 180 s; stopping");
      return stopAll() == 0 ? 1 : 1;
    }
    System.out.println();
    System.out.println("ringkv dev cluster ready (" + nodes + " nodes):");
    for (int i = 1; i <= nodes; i++) {
      System.out.println("  n" + i + "  http://" + host + ":" + (baseHttpPort + i - 1) + "/");
    }
    System.out.println("Demo page: http://" + host + ":" + baseHttpPort + "/   (Ctrl-C stops the cluster)");
    System.out.flush();
    for (Process child : children) {
      child.waitFor();
    }
    return 0;
  }

  private Process startNode(int index, CountDownLatch ready) throws IOException {
    int n = Math.min(3, nodes);
    int quorum = Math.min(2, n);
    List<String> seeds = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      seeds.add(host + ":" + (baseClusterPort + i - 1));
    }
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("id", "n" + index);
    flags.put("host", host);
    flags.put("http-port", Integer.toString(baseHttpPort + index - 1));
    flags.put("cluster-port", Integer.toString(baseClusterPort + index - 1));
    flags.put("seeds", String.join(",", seeds));
    flags.put("data-dir", dataDir.resolve("n" + index).toString());
    flags.put("n", Integer.toString(n));
    flags.put("r", Integer.toString(quorum));
    flags.put("w", Integer.toString(quorum));
    flags.put("durability", durability);
    flags.put("conflicts", conflicts);
    if (engine != null) {
      flags.put("engine", engine);
    }
    List<String> command = NodeLauncher.command(NodeLauncher.jarPath(), NodeLauncher.NODE_JVM_FLAGS, flags);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread pump = new Thread(() -> pump(process, "n" + index, ready), "dev-n" + index);
    pump.setDaemon(true);
    pump.start();
    return process;
  }

  private static void pump(Process process, String name, CountDownLatch ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        System.out.println("[" + name + "] " + line);
        if (line.contains("ringkv node " + name + " ready")) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      System.out.println("[" + name + "] output closed: " + e.getMessage());
    }
  }

  private int stopAll() {
    System.out.println("ringkv dev: stopping " + children.size() + " nodes");
    for (Process child : children) {
      child.destroy();
    }
    for (Process child : children) {
      try {
        if (!child.waitFor(12, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.destroyForcibly();
      }
    }
    return 0;
  }
}
