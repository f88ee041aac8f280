package io.ringkv.testing;

import io.ringkv.cli.ChaosHttp;
import io.ringkv.cli.NodeRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A load whose reads can be judged one by one: each key is written once ({@code w=2}), and reads
 * ({@code r=2}) only ask for keys whose write was acknowledged before the read was sent, so every
 * read that answers must return exactly that value. A read that answers otherwise (404, another
 * value) is a stale read; one that fails (timeout, 5xx) is only counted: a request may fail while a
 * node dies, it must never be wrong.
 */
public final class AckedReadLoad {
  private static final Duration TIMEOUT = Duration.ofSeconds(6);

  private final ChaosHttp http;
  private final NodeRouter router;
  private final String prefix;
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final List<String> ackedKeys = new CopyOnWriteArrayList<>();
  private final List<String> stale = new CopyOnWriteArrayList<>();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong failedReads = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  public AckedReadLoad(ChaosHttp http, NodeRouter router, String prefix) {
    this.http = http;
    this.router = router;
    this.prefix = prefix;
  }

  /** Writes {@code count} keys with {@code parallel} threads, as fast as the cluster takes them. */
  public void preload(int count, int parallel, int valueBytes) throws InterruptedException {
    List<Thread> loaders = new ArrayList<>();
    for (int t = 0; t < parallel; t++) {
      Thread thread = new Thread(() -> {
        Random random = new Random();
        while (sequence.get() < count) {
          write(random, valueBytes);
        }
      }, "preload-" + t);
      thread.start();
      loaders.add(thread);
    }
    for (Thread t : loaders) {
      t.join();
    }
  }

  /** Starts one writer and {@code readers} readers, each at about {@code perSecond} requests a second. */
  public void start(int readers, int perSecond) {
    threads.add(paced("acked-writer", perSecond, random -> write(random, 64)));
    for (int i = 0; i < readers; i++) {
      threads.add(paced("acked-reader-" + i, perSecond, this::read));
    }
    threads.forEach(Thread::start);
  }

  public void stop() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(TIMEOUT.toMillis() + 5_000);
    }
  }

  private Thread paced(String name, int perSecond, java.util.function.Consumer<Random> step) {
    long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
    Thread t = new Thread(() -> {
      Random random = new Random(name.hashCode());
      long due = System.nanoTime();
      while (!stopping) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // pacing to the rate, not synchronisation
        }
        due = Math.max(due + interval, System.nanoTime() - interval);
        step.accept(random);
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  private void write(Random random, int valueBytes) {
    String node = router.pick(random);
    if (node == null) {
      return;
    }
    String key = prefix + sequence.getAndIncrement();
    String value = key + "-" + "x".repeat(Math.max(0, valueBytes - key.length() - 1));
    try {
      ChaosHttp.Reply r = http.send("PUT", router.port(node), "/kv/" + key + "?w=2&timeout=3000",
          value.getBytes(StandardCharsets.UTF_8), TIMEOUT, "Content-Type", "text/plain");
      if (r.status() == 204 || r.status() == 200 || r.status() == 201) {
        acknowledged.put(key, value);
        ackedKeys.add(key);
      } else {
        failedWrites.incrementAndGet();
      }
    } catch (Exception e) {
      failedWrites.incrementAndGet();
    }
  }

  private void read(Random random) {
    String node = router.pick(random);
    if (node == null || ackedKeys.isEmpty()) {
      return;
    }
    String key = ackedKeys.get(random.nextInt(ackedKeys.size()));
    String expected = acknowledged.get(key);
    reads.incrementAndGet();
    try {
      ChaosHttp.Reply r = http.send("GET", router.port(node), "/kv/" + key + "?r=2&timeout=3000", null, TIMEOUT);
      if (r.status() == 200 && !r.text().equals(expected) || r.status() == 404 || r.status() == 300) {
        stale.add(key + " via " + node + ": " + r.status() + " " + abbreviate(r.text()));
      } else if (r.status() != 200) {
        failedReads.incrementAndGet();
      }
    } catch (Exception e) {
      failedReads.incrementAndGet();
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** Every key whose write was acknowledged, with its value. */
  public Map<String, String> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  /** Reads that answered without the acknowledged value. */
  public List<String> staleReads() {
    return List.copyOf(stale);
  }

  public String summary() {
    return acknowledged.size() + " acknowledged writes (" + failedWrites.get() + " failed), " + reads.get()
        + " reads (" + failedReads.get() + " failed, " + stale.size() + " stale)";
  }

  /** Keys of {@code node}'s reading of every acknowledged key at {@code r=2} that lack their value. */
  public List<String> unreadableVia(int port) throws InterruptedException {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      String got = "";
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          ChaosHttp.Reply r = http.send("GET", port, "/kv/" + e.getKey() + "?r=2&timeout=3000", null, TIMEOUT);
          got = r.status() + " " + abbreviate(r.text());
          if (r.status() == 200 || r.status() == 404 || r.status() == 300) {
            break;
          }
        } catch (Exception ex) {
          got = ex.toString();
        }
        TimeUnit.MILLISECONDS.sleep(300);
      }
      if (!got.equals("200 " + abbreviate(e.getValue()))) {
        wrong.add(e.getKey() + ": " + got);
      }
    }
    return wrong;
  }
}
