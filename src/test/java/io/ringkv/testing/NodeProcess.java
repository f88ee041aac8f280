package io.ringkv.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real ringkv node in its own JVM, started exactly as operators do ({@code java -jar
 * target/ringkv.jar node ...}), for crash tests: SIGKILL, SIGTERM, SIGSTOP/SIGCONT.
 */
public final class NodeProcess implements AutoCloseable {
  private final String id;
  private final List<String> args;
  private final List<String> jvmArgs;
  private List<String> ownCommand;
  private Map<String, String> ownEnvironment;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process process;
  private CountDownLatch ready;

  public NodeProcess(String id, List<String> args) {
    this(id, List.of(), args);
  }

  /** @param jvmArgs extra JVM options before {@code -jar} (system properties, say) */
  public NodeProcess(String id, List<String> jvmArgs, List<String> args) {
    this.id = id;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.args = List.copyOf(args);
  }

  /**
   * A node started by a command of the caller's own (from a container image, say) with exactly
   * this environment; it must print the usual ready line.
   */
  public static NodeProcess ofCommand(String id, List<String> command, Map<String, String> environment) {
    NodeProcess p = new NodeProcess(id, List.of(), List.of());
    p.ownCommand = List.copyOf(command);
    p.ownEnvironment = Map.copyOf(environment);
    return p;
  }

  public static Path jar() {
    String jar = System.getProperty("ringkv.jar", "target/ringkv.jar");
    Path path = Path.of(jar);
    if (!path.toFile().isFile()) {
      throw new IllegalStateException(jar + " is missing: process tests run after `mvn package` (failsafe)");
    }
    return path;
  }

  public NodeProcess start() throws IOException {
    ready = new CountDownLatch(1);
    ProcessBuilder builder = new ProcessBuilder(ownCommand != null ? ownCommand : command());
    if (ownEnvironment != null) {
      builder.environment().clear();
      builder.environment().putAll(ownEnvironment);
    }
    process = builder.redirectErrorStream(true).start();
    Thread pump = new Thread(this::pump, "output-" + id);
    pump.setDaemon(true);
    pump.start();
    return this;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseG1GC", "-Xmx512m", "-Djava.util.logging.config.file="
        + Path.of("src/test/resources/logging.properties").toAbsolutePath()));
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar().toString(), "node", "--id", id));
    command.addAll(args);
    return command;
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.add(line);
        System.out.println("[" + id + "] " + line);
        if (line.contains("ringkv node " + id + " ready http=")) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      output.add("output closed: " + e.getMessage());
    }
  }

  /** Waits for the ready line; fails with the process output if it does not come. */
  public NodeProcess awaitReady(long seconds) throws InterruptedException {
    if (!ready.await(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + id + " not ready within " + seconds + " s (alive="
          + process.isAlive() + "):\n" + String.join("\n", output));
    }
    return this;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> output() {
    return List.copyOf(output);
  }

  public void kill9() throws Exception {
    signal("KILL");
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Sends SIGTERM and waits for the exit code. */
  public int terminate(long seconds) throws Exception {
    signal("TERM");
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + id + " did not exit within " + seconds + " s after SIGTERM");
    }
    return process.exitValue();
  }

  public void pause() throws Exception {
    signal("STOP");
  }

  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Fails if Vert.x reported a blocked thread in this process. */
  public void assertNoBlockedThreads() {
    for (String line : output) {
      if (line.contains("has been blocked for")) {
        throw new AssertionError("node " + id + " reported a blocked thread: " + line);
      }
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
