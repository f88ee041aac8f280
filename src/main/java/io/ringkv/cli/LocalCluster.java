package io.ringkv.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local cluster of separate node processes on loopback ({@code n1..nK}), each with its own ports
 * and data dir under one root, that can be killed ({@code kill -9}), paused (SIGSTOP), resumed,
 * wiped and restarted on the same ports and data dir. Each node's output goes to
 * {@code <root>/logs/<id>.log} (appended across restarts). {@link #close} resumes and stops every
 * process it started.
 */
public final class LocalCluster implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  /** One node's fixed place: restarts reuse it. */
  public record NodeSpec(String id, int httpPort, int clusterPort, Path dataDir) {}

  private final Path jar;
  private final List<String> jvmFlags;
  private final Map<String, String> commonFlags;
  private final Map<String, NodeSpec> specs = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> nodeFlags = new ConcurrentHashMap<>();
  private final Map<String, Child> children = new ConcurrentHashMap<>();
  private final Path logs;
  private final Consumer<String> log;
  private final AtomicInteger blockedThreadReports = new AtomicInteger();
  private final AtomicInteger blockedWhileStarting = new AtomicInteger();
  private final List<String> blockedThreadLines = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closing;

  /** A running node process: its output pump watches for the ready line. */
  private static final class Child {
    final Process process;
    final CountDownLatch ready = new CountDownLatch(1);
    volatile boolean paused;

    Child(Process process) {
      this.process = process;
    }
  }

  /**
   * @param baseHttpPort HTTP port of n1 (n2 gets the next...), or 0 for any free ports
   * @param commonFlags node flags every node gets (n, r, w, fault-injection...)
   */
  public LocalCluster(Path jar, Path root, int nodes, int baseHttpPort, int baseClusterPort, List<String> jvmFlags,
      Map<String, String> commonFlags, Consumer<String> log) {
    this.jar = jar;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.commonFlags = new LinkedHashMap<>(commonFlags);
    this.log = log;
    this.logs = root.resolve("logs");
    for (int i = 1; i <= nodes; i++) {
      String id = "n" + i;
      specs.put(id, new NodeSpec(id, baseHttpPort == 0 ? freePort() : baseHttpPort + i - 1,
          baseClusterPort == 0 ? freePort() : baseClusterPort + i - 1, root.resolve(id)));
    }
  }

  /** Flags only node {@code id} gets, on top of the common ones (its DC, say); from its next start. */
  public void nodeFlags(String id, Map<String, String> flags) {
    nodeFlags.put(spec(id).id(), Map.copyOf(flags));
  }

  public List<String> ids() {
    return List.copyOf(specs.keySet());
  }

  public NodeSpec spec(String id) {
    NodeSpec spec = specs.get(id);
    if (spec == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return spec;
  }

  public int httpPort(String id) {
    return spec(id).httpPort();
  }

  public Path logFile(String id) {
    return logs.resolve(id + ".log");
  }

  /** Lines of node output that reported a blocked Vert.x thread, over every process so far. */
  public int blockedThreadReports() {
    return blockedThreadReports.get();
  }

  /** Of those, the ones a process reported before it was ready (while it started). */
  public int blockedThreadReportsWhileStarting() {
    return blockedWhileStarting.get();
  }

  /** The first of those lines, each with the node id and the lines after it (the stack). */
  public List<String> blockedThreadLines() {
    return List.copyOf(blockedThreadLines);
  }

  /** Starts every node and waits until all printed their ready line. */
  public void startAll(long timeoutMs) throws IOException, InterruptedException {
    for (String id : specs.keySet()) {
      start(id);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (String id : specs.keySet()) {
      awaitReady(id, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
  }

  /** Starts the node's process (its last one must have ended). */
  public void start(String id) throws IOException {
    Child old = children.get(id);
    if (old != null && old.process.isAlive()) {
      throw new IllegalStateException(id + " is still running");
    }
    NodeSpec spec = spec(id);
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("id", id);
    flags.put("host", HOST);
    flags.put("http-port", Integer.toString(spec.httpPort()));
    flags.put("cluster-port", Integer.toString(spec.clusterPort()));
    flags.put("seeds", String.join(",", specs.values().stream().map(s -> HOST + ":" + s.clusterPort()).toList()));
    flags.put("data-dir", spec.dataDir().toString());
    flags.putAll(commonFlags);
    flags.putAll(nodeFlags.getOrDefault(id, Map.of()));
    Files.createDirectories(logs);
    Process process = new ProcessBuilder(NodeLauncher.command(jar, jvmFlags, flags)).redirectErrorStream(true).start();
    Child child = new Child(process);
    children.put(id, child);
    Thread pump = new Thread(() -> pump(id, child), "node-output-" + id);
    pump.setDaemon(true);
    pump.start();
  }

  /** Waits for the node's ready line; fails if the process ends or the time runs out. */
  public void awaitReady(String id, long timeoutMs) throws InterruptedException {
    Child child = children.get(id);
    if (child == null) {
      throw new IllegalStateException(id + " was never started");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!child.ready.await(200, TimeUnit.MILLISECONDS)) {
      if (!child.process.isAlive()) {
        throw new IllegalStateException(id + " exited with " + child.process.exitValue() + " before it was ready"
            + "; the end of " + logFile(id) + ":\n" + logTail(id, 40));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " was not ready within " + timeoutMs + " ms; the end of " + logFile(id)
            + ":\n" + logTail(id, 40));
      }
    }
  }

  /** The last lines of the node's log (its data dir may be a temporary one, gone after the run). */
  private String logTail(String id, int lines) {
    try {
      TimeUnit.MILLISECONDS.sleep(200); // the output pump's last lines
      List<String> all = Files.readAllLines(logFile(id), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log not readable: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  public boolean isRunning(String id) {
    Child child = children.get(id);
    return child != null && child.process.isAlive();
  }

  public boolean isPaused(String id) {
    Child child = children.get(id);
    return child != null && child.paused && child.process.isAlive();
  }

  public long pid(String id) {
    return running(id).process.pid();
  }

  /** SIGKILL: no shutdown work at all; waits until the process is gone. */
  public void kill9(String id) throws InterruptedException {
    kill9(List.of(id));
  }

  /** SIGKILL to every one of {@code ids} with one {@code kill} command (at once); waits until all are gone. */
  public void kill9(List<String> ids) throws InterruptedException {
    List<Child> victims = ids.stream().map(this::running).toList();
    signal(victims, "KILL");
    for (int i = 0; i < victims.size(); i++) {
      if (!victims.get(i).process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(ids.get(i) + " survived kill -9");
      }
    }
  }

  /** SIGSTOP: the process stays, its sockets stay open, nothing answers. */
  public void pause(String id) {
    Child child = running(id);
    signal(child, "STOP");
    child.paused = true;
  }

  public void resume(String id) {
    Child child = running(id);
    signal(child, "CONT");
    child.paused = false;
  }

  /** Deletes the node's data dir; the node must not be running. */
  public void wipe(String id) throws IOException {
    if (isRunning(id)) {
      throw new IllegalStateException(id + " is running: kill it before wiping its data");
    }
    Path dir = spec(id).dataDir();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Resumes paused nodes and stops every process: SIGTERM, then SIGKILL after 12 s. Idempotent. */
  @Override
  public void close() {
    closing = true;
    List<Child> alive = new ArrayList<>();
    for (Child child : children.values()) {
      if (child.process.isAlive()) {
        if (child.paused) {
          signal(child, "CONT");
          child.paused = false;
        }
        child.process.destroy();
        alive.add(child);
      }
    }
    for (Child child : alive) {
      try {
        if (!child.process.waitFor(12, TimeUnit.SECONDS)) {
          child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.process.destroyForcibly();
      }
    }
  }

  private Child running(String id) {
    Child child = children.get(id);
    if (child == null || !child.process.isAlive()) {
      throw new IllegalStateException(id + " is not running");
    }
    return child;
  }

  private void signal(Child child, String name) {
    signal(List.of(child), name);
  }

  private void signal(List<Child> targets, String name) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + name));
    targets.forEach(c -> command.add(Long.toString(c.process.pid())));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + name, e);
    }
  }

  private void pump(String id, Child child) {
    String readyLine = "ringkv node " + id + " ready http=";
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.process.getInputStream(),
        StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile(id), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
      out.println("---- " + Instant.now() + " process " + child.process.pid() + " started");
      String line;
      int stackLines = 0;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.contains(readyLine)) {
          child.ready.countDown();
        }
        boolean blocked = line.contains("has been blocked for");
        if (blocked) {
          blockedThreadReports.incrementAndGet();
          if (child.ready.getCount() > 0) {
            blockedWhileStarting.incrementAndGet();
          }
          stackLines = blockedThreadLines.size() < 100 ? 12 : 0;
        }
        if (stackLines > 0) {
          stackLines--;
          blockedThreadLines.add(id + (blocked && child.ready.getCount() > 0 ? " (starting): " : ": ") + line);
        }
      }
      out.println("---- " + Instant.now() + " process " + child.process.pid() + " output ended");
    } catch (IOException e) {
      if (!closing && child.process.isAlive()) {
        log.accept(id + ": node output lost: " + e.getMessage());
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
