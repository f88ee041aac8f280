package io.ringkv.cli;

import io.ringkv.chaos.Episode;
import io.ringkv.chaos.FaultAction;
import io.ringkv.chaos.FaultKind;
import io.ringkv.chaos.FaultSchedule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays a {@link FaultSchedule} on a {@link LocalCluster}, one episode after another, and keeps the
 * {@link NodeRouter} in step (a killed or paused node gets no client requests). Every step goes to
 * the timeline with its time since the run started, so a failed run can be read back.
 *
 * <p>Order within an episode: network cuts first (every node must take its part before another is
 * paused), then pauses, then kills. Healing: resume, kill and wipe the wiped node (so whatever only
 * it held is gone before it can hand anything over), heal the cut, restart the dead.
 */
public final class FaultDriver {
  /** Calm load at the end of the run: no episode may end later than this before the deadline. */
  static final long TAIL_MS = 5_000;

  /** One episode as it really ran, in ms since the run started. */
  public record Played(int number, String faults, long beganMs, long healedMs) {}

  private final LocalCluster cluster;
  private final ClusterAdmin admin;
  private final NodeRouter router;
  private final Consumer<String> timeline;
  private final long restartTimeoutMs;
  private final long runStartNanos;
  private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);
  private final List<Played> played = new ArrayList<>();
  private final List<Long> killedAtNanos = new ArrayList<>();

  public FaultDriver(LocalCluster cluster, ClusterAdmin admin, NodeRouter router, long runStartNanos,
      long restartTimeoutMs, Consumer<String> timeline) {
    this.cluster = cluster;
    this.admin = admin;
    this.router = router;
    this.runStartNanos = runStartNanos;
    this.restartTimeoutMs = restartTimeoutMs;
    this.timeline = timeline;
  }

  /** Plays episodes while the next one still fits before {@code deadlineMs} (since the run started). */
  public void run(FaultSchedule schedule, long deadlineMs) throws InterruptedException, IOException {
    while (true) {
      Episode e = schedule.next();
      if (elapsedMs() + e.gapMs() + e.holdMs() > deadlineMs - TAIL_MS) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(e.gapMs());
      long began = elapsedMs();
      log("episode " + e.number() + ": " + e.describe() + " for " + e.holdMs() + " ms");
      begin(e);
      TimeUnit.MILLISECONDS.sleep(e.holdMs());
      end(e);
      played.add(new Played(e.number(), e.describe(), began, elapsedMs()));
      log("episode " + e.number() + " healed");
    }
  }

  /** Faults injected so far, by kind (one per node hit). */
  public Map<String, Integer> injected() {
    Map<String, Integer> out = new TreeMap<>();
    injected.forEach((k, n) -> out.put(k.label(), n));
    return out;
  }

  public List<Played> played() {
    return List.copyOf(played);
  }

  /** When each kill -9 was sent (System.nanoTime, the clients' clock). */
  public List<Long> killedAtNanos() {
    return List.copyOf(killedAtNanos);
  }

  private void begin(Episode e) throws IOException {
    for (FaultAction a : e.actions()) {
      if (a.kind().cutsNetwork()) {
        cut(Set.copyOf(a.nodes()));
      }
    }
    for (FaultAction a : e.actions()) {
      for (String node : a.nodes()) {
        injected.merge(a.kind(), 1, Integer::sum);
        if (a.kind() == FaultKind.PAUSE) {
          router.takeOut(node);
          cluster.pause(node);
          log("SIGSTOP " + node + " (pid " + cluster.pid(node) + ")");
        }
      }
    }
    for (FaultAction a : e.actions()) {
      if (a.kind() == FaultKind.KILL) {
        killAll(a.nodes());
      }
    }
  }

  private void end(Episode e) throws IOException, InterruptedException {
    List<String> dead = new ArrayList<>();
    for (FaultAction a : e.actions()) {
      for (String node : a.nodes()) {
        switch (a.kind()) {
          case PAUSE -> {
            cluster.resume(node);
            router.putBack(node);
            log("SIGCONT " + node);
          }
          case WIPE -> {
            killAll(List.of(node));
            cluster.wipe(node);
            log("wiped the data dir of " + node);
            dead.add(node);
          }
          case KILL -> dead.add(node);
          case PARTITION -> { }
        }
      }
    }
    if (e.actions().stream().anyMatch(a -> a.kind().cutsNetwork())) {
      healCuts();
    }
    restart(dead);
  }

  /** Ends every fault still in force: resumes, heals every node's faults, restarts the dead. */
  public void healAll() throws IOException, InterruptedException {
    List<String> dead = new ArrayList<>();
    for (String node : cluster.ids()) {
      if (cluster.isPaused(node)) {
        cluster.resume(node);
        log("SIGCONT " + node);
      }
      if (!cluster.isRunning(node)) {
        dead.add(node);
      }
    }
    healCuts();
    restart(dead);
    cluster.ids().forEach(router::putBack);
  }

  /** kill -9 of every one of {@code nodes} in one command: together, as a rack losing power. */
  private void killAll(List<String> nodes) {
    nodes.forEach(router::takeOut);
    List<String> pids = nodes.stream().map(n -> n + " (pid " + cluster.pid(n) + ")").toList();
    killedAtNanos.add(System.nanoTime());
    try {
      cluster.kill9(nodes);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing " + nodes, ie);
    }
    log("kill -9 " + String.join(", ", pids));
  }

  /** A partition: {@code side} drops everything to and from the rest, the rest drops {@code side}. */
  private void cut(Set<String> side) {
    for (String node : cluster.ids()) {
      if (!cluster.isRunning(node) || cluster.isPaused(node)) {
        continue;
      }
      Set<String> drop = new HashSet<>();
      for (String other : cluster.ids()) {
        if (!other.equals(node) && side.contains(other) != side.contains(node)) {
          drop.add(other);
        }
      }
      try {
        admin.drop(node, drop);
      } catch (IOException e) {
        log("warning: could not cut " + node + " off: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    log("partition " + side + " | rest in force");
  }

  private void healCuts() {
    for (String node : cluster.ids()) {
      if (!cluster.isRunning(node) || cluster.isPaused(node)) {
        continue;
      }
      try {
        admin.heal(node);
      } catch (IOException e) {
        log("warning: could not heal the faults of " + node + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    log("network healed");
  }

  private void restart(List<String> nodes) throws IOException, InterruptedException {
    if (nodes.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    for (String node : nodes) {
      cluster.start(node);
    }
    for (String node : nodes) {
      cluster.awaitReady(node, restartTimeoutMs);
      router.putBack(node);
      log("restarted " + node + ": ready after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }
  }

  private long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runStartNanos);
  }

  private void log(String message) {
    timeline.accept(String.format("[%7.1fs] %s", elapsedMs() / 1000.0, message));
  }
}
