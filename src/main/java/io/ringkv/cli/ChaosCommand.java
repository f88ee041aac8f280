package io.ringkv.cli;

import io.ringkv.bench.DurationConverter;
import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.Crashes;
import io.ringkv.chaos.FaultKind;
import io.ringkv.chaos.FaultSchedule;
import io.ringkv.chaos.FinalState;
import io.ringkv.chaos.History;
import io.ringkv.chaos.HistoryChecker;
import io.ringkv.chaos.KeyState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringkv chaos} (API.md, "Fault test"): starts its own local cluster of node processes with
 * fault injection on, runs concurrent reads and writes while it kills, pauses and partitions nodes
 * on a seeded schedule, heals everything, waits for hints, reads every key back from every replica
 * and every node, and checks the history ({@link HistoryChecker}). Exit 0 only when nothing was lost,
 * phantom or divergent; 1 when something was (or the run could not be completed); 2 on bad flags.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a local cluster through kill -9, SIGSTOP and partitions under load, heal it, and check that "
        + "nothing acknowledged was lost, no value appeared that was never written and all replicas agree.",
        "Exit status: 0 passed, 1 a violation (or the run could not finish), 2 bad flags."})
public final class ChaosCommand implements Callable<Integer> {

  @Option(names = "--nodes", defaultValue = "5", description = "Nodes in the local cluster, 2..9 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
      description = "Time under load and faults, e.g. 30s, 2m, 10m (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--faults", defaultValue = "kill,pause,partition",
      description = "Fault kinds: kill (kill -9, restart on the same data), pause (SIGSTOP/SIGCONT), partition "
          + "(through /cluster/faults), wipe (isolate a node, kill -9 it, delete its data, restart it empty; loses "
          + "what only it held) (default ${DEFAULT-VALUE}).")
  String faults;

  @Option(names = "--seed", description = "Seed of the fault schedule and of the clients' keys, operations and nodes "
      + "(default: random, printed).")
  Long seed;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Parent of the nodes' data dirs and logs; must not "
      + "hold an earlier run (default: a new temporary dir, deleted after a passing run).")
  Path dataDir;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(names = "--keys", defaultValue = "200", description = "Key space; small, so writes conflict (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--clients", defaultValue = "8", description = "Concurrent client threads (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--rate", defaultValue = "200", description = "Operations per second, all clients together (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--n", description = "Replicas per key (default: 3, or --nodes if fewer).")
  Integer n;

  @Option(names = "--r", defaultValue = "2", description = "Read quorum of every request (default ${DEFAULT-VALUE}).")
  int r;

  @Option(names = "--w", defaultValue = "2", description = "Write quorum of every request (default ${DEFAULT-VALUE}).")
  int w;

  @Option(names = "--hinted-handoff", defaultValue = "true", arity = "1", paramLabel = "true|false",
      description = "The nodes' --hinted-handoff (default ${DEFAULT-VALUE}).")
  boolean hintedHandoff;

  @Option(names = "--durability", defaultValue = "async", description = "The nodes' --durability (default ${DEFAULT-VALUE}).")
  String durability;

  @Option(names = "--check-replicas", defaultValue = "true", arity = "1", paramLabel = "true|false",
      description = "Also read each key from each home replica alone, cut off from the others (default ${DEFAULT-VALUE}).")
  boolean checkReplicas;

  @Option(names = "--hints-timeout", defaultValue = "3m", converter = DurationConverter.class,
      description = "Longest wait for the hints to drain after healing (default ${DEFAULT-VALUE}).")
  Duration hintsTimeout;

  @Option(names = "--base-http-port", defaultValue = "0", description = "HTTP port of n1, n2 the next... (default: free ports).")
  int baseHttpPort;

  @Option(names = "--base-cluster-port", defaultValue = "0", description = "Hazelcast port of n1... (default: free ports).")
  int baseClusterPort;

  @Option(names = "--keep-data", description = "Keep the data dirs and logs of a passing run too.")
  boolean keepData;

  @Option(names = "--token", description = "Run the cluster with tokens (--auth-tokens): this admin token, which the"
      + " driver sends with every request.")
  String token;

  @Option(names = "--secure", description = "Run the cluster with tokens, HTTPS and cluster TLS (generated"
      + " certificates; the admin token is --token or a generated one).")
  boolean secure;

  private static final long START_TIMEOUT_MS = 240_000;
  private static final long RESTART_TIMEOUT_MS = 180_000;
  /** The {@code timeout} every client request carries; the client itself waits twice as long. */
  private static final long SERVER_TIMEOUT_MS = 3_000;
  private final PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    List<FaultKind> kinds;
    try {
      kinds = FaultKind.parseList(faults);
      validate(kinds);
    } catch (IllegalArgumentException e) {
      err.println("ringkv chaos: " + e.getMessage());
      return 2;
    }
    long runSeed = seed != null ? seed : new Random().nextLong();
    Path root = prepareDataDir();
    if (root == null) {
      return 2;
    }
    int replicas = replicas();
    log("seed " + runSeed + "; " + nodes + " nodes, N=" + replicas + " R=" + r + " W=" + w + ", faults " + kinds
        + ", data and logs in " + root);
    Map<String, String> flags = nodeFlags(replicas);
    SecureSetup security = secure || token != null ? SecureSetup.create(root.resolve("security"), token, secure) : null;
    if (security != null) {
      flags.putAll(security.nodeFlags());
      log("security on: " + String.join(", ", security.nodeFlags().keySet()));
    }
    ChaosHttp http = security == null ? new ChaosHttp("127.0.0.1", Duration.ofSeconds(2))
        : new ChaosHttp("127.0.0.1", Duration.ofSeconds(2), security.adminToken(), security.sslContext());
    LocalCluster cluster = new LocalCluster(NodeLauncher.jarPath(), root, nodes, baseHttpPort, baseClusterPort,
        NodeLauncher.NODE_JVM_FLAGS, flags, this::log);
    Thread stopper = new Thread(cluster::close, "chaos-stop-nodes");
    Runtime.getRuntime().addShutdownHook(stopper);
    ChaosSummary summary = new ChaosSummary(runSeed, nodes, replicas, r, w, keys, clients, rate, duration, faults, root);
    try {
      run(cluster, http, runSeed, kinds, summary);
    } catch (Exception e) {
      summary.error(e.getClass().getSimpleName() + ": " + e.getMessage());
      log("the run could not be completed: " + e);
    } finally {
      summary.blockedThreadReports(cluster.blockedThreadReports());
      cluster.close();
    }
    boolean passed = summary.passed();
    if (passed && dataDir == null && !keepData) {
      deleteTree(root);
      summary.dataDeleted();
    }
    System.out.println(json ? summary.toJson().encode() : summary.toText());
    System.out.flush();
    return passed ? 0 : 1;
  }

  private void run(LocalCluster cluster, ChaosHttp http, long runSeed, List<FaultKind> kinds, ChaosSummary summary)
      throws Exception {
    long startup = System.nanoTime();
    cluster.startAll(START_TIMEOUT_MS);
    Map<String, Integer> ports = new TreeMap<>();
    cluster.ids().forEach(id -> ports.put(id, cluster.httpPort(id)));
    NodeRouter router = new NodeRouter(ports);
    ClusterAdmin admin = new ClusterAdmin(http, router::port);
    List<String> keyNames = keyNames();
    Readback readback = new Readback(admin, http, router, keyNames, this::log);
    readback.awaitAllUp(START_TIMEOUT_MS);
    log("cluster ready after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startup) + " ms; load and faults for "
        + duration.toSeconds() + " s");

    History history = new History();
    ChaosWorkload workload = new ChaosWorkload(http, history, router, new ChaosWorkload.Settings(keyNames, clients,
        rate, runSeed, Integer.toString(r), Integer.toString(w), SERVER_TIMEOUT_MS, 2 * SERVER_TIMEOUT_MS));
    long runStart = System.nanoTime();
    FaultDriver driver = new FaultDriver(cluster, admin, router, runStart, RESTART_TIMEOUT_MS, this::log);
    workload.start();
    try {
      driver.run(new FaultSchedule(runSeed, cluster.ids(), replicas() - 1, kinds), duration.toMillis());
      long left = duration.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runStart);
      if (left > 0) {
        TimeUnit.MILLISECONDS.sleep(left);
      }
    } finally {
      workload.stop();
      summary.load(history.operations(), workload.latencies(), workload.statuses(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runStart));
      summary.faults(driver.injected(), driver.played());
      log("load stopped after " + history.size() + " operations; healing everything");
      driver.healAll();
    }
    check(readback, history, summary, driver.killedAtNanos());
  }

  private void check(Readback readback, History history, ChaosSummary summary, List<Long> kills) throws Exception {
    log("every node sees every member up after " + readback.awaitAllUp(RESTART_TIMEOUT_MS) + " ms");
    Readback.HintWait hints = readback.awaitHints(hintsTimeout.toMillis());
    summary.hints(hints);
    log(hints.drained() ? "hints drained after " + hints.waitedMs() + " ms (" + hints.pendingAtStart()
        + " pending when the wait began)" : "hints did NOT drain within " + hints.waitedMs() + " ms: " + hints.left());
    boolean antiEntropy = readback.runAntiEntropy(hintsTimeout.toMillis());
    summary.antiEntropy(antiEntropy);
    if (antiEntropy) {
      // Before any read of the check below, whose read repair could hide what the pass left.
      RootCheck.Result roots = readback.roots(replicas());
      summary.roots(roots);
      log(roots.divergent().isEmpty() ? "every partition's homes report the same Merkle root"
          : roots.divergent().size() + " partition(s) with differing Merkle roots after the pass");
    }
    Map<String, String> errors = new TreeMap<>();
    Map<String, Map<String, KeyState>> replicaStates = Map.of();
    if (checkReplicas) {
      replicaStates = readback.replicaStates(readback.homes(), errors);
      log("read every key from each home replica alone");
      readback.awaitAllUp(RESTART_TIMEOUT_MS);
    }
    FinalState end = readback.finalState(replicaStates, errors);
    log("read every key back from every node at r=all; checking " + history.size() + " operations");
    // Without anti-entropy, nothing repairs a replica that missed a write whose coordinator was killed
    // with it in flight; after an anti-entropy pass every replica must hold exactly the same.
    Crashes crashes = antiEntropy ? Crashes.NONE : new Crashes(kills, TimeUnit.MILLISECONDS.toNanos(
        SERVER_TIMEOUT_MS + 1_000));
    CheckReport report = HistoryChecker.check(history.operations(), end, crashes);
    summary.report(report);
  }

  private void validate(List<FaultKind> kinds) {
    if (nodes < 2 || nodes > 9) {
      throw new IllegalArgumentException("--nodes must be 2..9");
    }
    int replicas = replicas();
    if (replicas < 2 || replicas > nodes) {
      throw new IllegalArgumentException("--n must be 2..--nodes (a fault needs another replica to survive)");
    }
    if (r < 1 || r > replicas || w < 1 || w > replicas) {
      throw new IllegalArgumentException("--r and --w must be 1..N (" + replicas + ")");
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("--faults lists no fault");
    }
    if (duration.toMillis() < 1_000 || keys < 1 || clients < 1 || rate <= 0) {
      throw new IllegalArgumentException("--duration must be at least 1s; --keys, --clients and --rate positive");
    }
    if (!durability.equals("async") && !durability.equals("sync")) {
      throw new IllegalArgumentException("--durability must be async or sync");
    }
  }

  private int replicas() {
    return n != null ? n : Math.min(3, nodes);
  }

  private Map<String, String> nodeFlags(int replicas) {
    Map<String, String> flags = new TreeMap<>();
    flags.put("n", Integer.toString(replicas));
    flags.put("r", Integer.toString(r));
    flags.put("w", Integer.toString(w));
    flags.put("hinted-handoff", Boolean.toString(hintedHandoff));
    flags.put("durability", durability);
    flags.put("conflicts", "siblings");
    flags.put("fault-injection", "true");
    return flags;
  }

  private List<String> keyNames() {
    List<String> names = new ArrayList<>(keys);
    int width = Integer.toString(keys - 1).length();
    for (int i = 0; i < keys; i++) {
      names.add("chaos-" + String.format("%0" + width + "d", i));
    }
    return names;
  }

  /** The run's root: the given dir (which must not hold an earlier run) or a new temporary one. */
  private Path prepareDataDir() throws IOException {
    if (dataDir == null) {
      return Files.createTempDirectory("ringkv-chaos-");
    }
    Files.createDirectories(dataDir);
    try (Stream<Path> entries = Files.list(dataDir)) {
      List<Path> earlier = entries.filter(p -> p.getFileName().toString().matches("n\\d+|logs")).toList();
      if (!earlier.isEmpty()) {
        err.println("ringkv chaos: " + dataDir + " holds an earlier run (" + earlier.get(0).getFileName()
            + "): its values would confuse the checker; remove it or choose another --data-dir");
        return null;
      }
    }
    return dataDir.toAbsolutePath();
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("ringkv chaos: could not delete " + root + ": " + e.getMessage());
    }
  }

  private void log(String message) {
    String line = message.startsWith("[") ? message
        : "[" + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message;
    synchronized (err) {
      err.println("chaos " + line);
      err.flush();
    }
  }
}
