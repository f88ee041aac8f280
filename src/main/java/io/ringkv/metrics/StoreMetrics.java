package io.ringkv.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The store's own meters, next to the Vert.x ones in the same registry. Names follow Prometheus
 * conventions once exported ({@code ringkv_requests_total}, {@code ringkv_quorum_latency_seconds}...).
 */
public final class StoreMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> requestCounters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> quorumTimers = new ConcurrentHashMap<>();
  private final Counter readRepairs;
  private final Counter readRepairsFailed;

  public StoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.readRepairs = Counter.builder("ringkv.read.repairs")
        .description("Replicas brought up to date by read repair").register(registry);
    this.readRepairsFailed = Counter.builder("ringkv.read.repairs.failed")
        .description("Read repairs that did not reach their replica").register(registry);
  }

  /** For unit tests that do not care about export. */
  public static StoreMetrics inMemory() {
    return new StoreMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void request(String op, int status) {
    requestCounters.computeIfAbsent(op + ' ' + status, k -> Counter.builder("ringkv.requests")
        .description("Client requests by operation and HTTP status")
        .tag("op", op).tag("status", Integer.toString(status))
        .register(registry)).increment();
  }

  /** Time from the coordinator's fan-out to the quorum's answer. */
  public void quorumLatency(String op, long nanos) {
    quorumTimers.computeIfAbsent(op, k -> Timer.builder("ringkv.quorum.latency")
        .description("Coordinator fan-out until the quorum answered")
        .tag("op", op)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void readRepair() {
    readRepairs.increment();
  }

  public void readRepairFailed() {
    readRepairsFailed.increment();
  }

  public double readRepairs() {
    return readRepairs.count();
  }

  public <T extends Number> void gauge(String name, String description, Supplier<T> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public <T extends Number> void gauge(String name, String description, String status, Supplier<T> value) {
    Gauge.builder(name, value).description(description).tag("status", status).register(registry);
  }

  /**
   * A counter kept by {@code owner} (a plain class counts; this exports it as {@code <name>_total}).
   * Micrometer holds {@code owner} weakly: pass the long-lived object, not a lambda.
   */
  public <T> void functionCounter(String name, String description, T owner, ToLongFunction<T> count) {
    FunctionCounter.builder(name, owner, o -> (double) count.applyAsLong(o)).description(description)
        .register(registry);
  }

  public Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** A counter with tags given as key, value, key, value... */
  public Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
