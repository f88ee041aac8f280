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

  @Option(names = "--dcs", defaultValue = "1",
      description = "Datacenters of --nodes nodes each (dc1: n1..n3, dc2: n4..n6 ...), replicas per DC (default ${DEFAULT-VALUE})")
  int dcs;

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

  @Option(names = "--token", description = "Require tokens (--auth-tokens): this one is the admin token.")
  String token;

  @Option(names = "--secure", description = "Tokens, HTTPS and cluster TLS with generated self-signed certificates"
      + " (in <data-dir>/security); prints the admin token (--token, or a generated one).")
  boolean secure;

  private final List<Process> children = new ArrayList<>();
  private SecureSetup security;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > 9) {
      System.err.println("ringkv: --nodes must be 1..9");
      return 2;
    }
    if (dcs < 1 || dcs > 4) {
      System.err.println("ringkv: --dcs must be 1..4");
      return 2;
    }
    int total = nodes * dcs;
    CountDownLatch ready = new CountDownLatch(total);
    if (secure || token != null) {
      security = SecureSetup.create(dataDir.resolve("security"), token, secure);
    }
    Signals.onTermination(this::stopAll);
    for (int i = 1; i <= total; i++) {
      children.add(startNode(i, ready));
    }
    if (!ready.await(180, TimeUnit.SECONDS)) {
      System.err.println("ringkv: the cluster did not become ready within 180 s; stopping");
      return stopAll() == 0 ? 1 : 1;
    }
    System.out.println();
    System.out.println("ringkv dev cluster ready (" + total + " nodes" + (dcs > 1 ? " in " + dcs + " DCs" : "") + "):");
    String scheme = security == null ? "http" : security.scheme();
    for (int i = 1; i <= total; i++) {
      System.out.println("  n" + i + (dcs > 1 ? "  " + dcOf(i) : "") + "  " + scheme + "://" + host + ":"
          + (baseHttpPort + i - 1) + "/");
    }
    System.out.println("Demo page: " + scheme + "://" + host + ":" + baseHttpPort + "/   (Ctrl-C stops the cluster)");
    if (security != null) {
      System.out.println("Admin token: " + security.adminToken()
          + "   (send Authorization: Bearer <token>; the demo page asks for it)");
      if (security.ca() != null) {
        System.out.println("CA certificate: " + security.ca() + "   (curl --cacert it, or bench --insecure)");
      }
    }
    System.out.flush();
    for (Process child : children) {
      child.waitFor();
    }
    return 0;
  }

  private Process startNode(int index, CountDownLatch ready) throws IOException {
    Map<String, String> flags = nodeFlags(index);
    List<String> command = NodeLauncher.command(NodeLauncher.jarPath(), NodeLauncher.NODE_JVM_FLAGS, flags);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread pump = new Thread(() -> pump(process, "n" + index, ready), "dev-n" + index);
    pump.setDaemon(true);
    pump.start();
    return process;
  }

  /** The flags of node {@code index} (1-based): with --dcs, its DC and the replicas per DC. */
  Map<String, String> nodeFlags(int index) {
    int n = Math.min(3, nodes);
    int quorum = Math.min(2, n);
    List<String> seeds = new ArrayList<>();
    for (int i = 1; i <= nodes * dcs; i++) {
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
    if (security != null) {
      flags.putAll(security.nodeFlags());
    }
    if (dcs > 1) {
      List<String> perDc = new ArrayList<>();
      for (int d = 1; d <= dcs; d++) {
        perDc.add("dc" + d + ":" + n);
      }
      flags.remove("n");
      flags.put("dc", dcOf(index));
      flags.put("replication", String.join(",", perDc));
    }
    return flags;
  }

  /** Node i's DC: the first --nodes nodes are dc1, the next dc2, ... */
  private String dcOf(int index) {
    return "dc" + ((index - 1) / nodes + 1);
  }

  private static void pump(Process process, String name, CountDownLatch ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean counted = false;
      while ((line = in.readLine()) != null) {
        System.out.println("[" + name + "] " + line);
        // The stdout line, not the log line that says the same: each node counts once.
        if (!counted && line.startsWith("ringkv node " + name + " ready http=")) {
          counted = true;
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
