package io.ringkv.cli;

import io.ringkv.chaos.History;
import io.ringkv.chaos.Operation;
import io.ringkv.chaos.Operation.Kind;
import io.ringkv.chaos.Operation.Outcome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The chaos run's clients: threads that read and write a small key space (so writes conflict)
 * through whichever nodes the {@link NodeRouter} offers, at a steady total rate, and record every
 * operation in the {@link History}. Writes are blind or carry the context of the client's last
 * read or write of the key (possibly stale); some are read-modify-write; deletes always carry the
 * context of a read, so the checker knows what they removed. Every value is {@code c<client>-<seq>}.
 */
public final class ChaosWorkload {
  /** How the clients behave; {@code seed} fixes each client's keys, operations and nodes. */
  public record Settings(List<String> keys, int clients, double opsPerSecond, long seed, String r, String w,
      long serverTimeoutMs, long clientTimeoutMs) {}

  private final ChaosHttp http;
  private final History history;
  private final NodeRouter router;
  private final Settings settings;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Client> clients = new ArrayList<>();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  public ChaosWorkload(ChaosHttp http, History history, NodeRouter router, Settings settings) {
    this.http = http;
    this.history = history;
    this.router = router;
    this.settings = settings;
  }

  public void start() {
    for (int i = 1; i <= settings.clients(); i++) {
      Client client = new Client(i);
      clients.add(client);
      Thread t = new Thread(client, "chaos-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops the clients and waits for their last requests (each is bounded by the client timeout). */
  public void stop() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(settings.clientTimeoutMs() + 5_000);
    }
  }

  /** Count of answers by "METHOD status" (or "METHOD timeout"/"METHOD error"). */
  public Map<String, Long> statuses() {
    Map<String, Long> out = new TreeMap<>();
    statuses.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Latency of every acknowledged operation, in microseconds (call after {@link #stop}). */
  public Histogram latencies() {
    Histogram all = new Histogram(3);
    clients.forEach(c -> all.add(c.latencies));
    return all;
  }

  /** A causal context a client holds for a key: the token and the operation that answered with it. */
  private record Context(String token, long from) {}

  private final class Client implements Runnable {
    private final int id;
    private final Random random;
    private final Map<String, Context> contexts = new HashMap<>();
    private final Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    private long seq;

    Client(int id) {
      this.id = id;
      this.random = new Random(settings.seed() * 1_000_003L + id);
    }

    @Override
    public void run() {
      long intervalNanos = (long) (1e9 * settings.clients() / settings.opsPerSecond());
      long due = System.nanoTime() + (long) (random.nextDouble() * intervalNanos);
      while (!stopping && !Thread.currentThread().isInterrupted()) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          sleepNanos(wait); // pacing to the configured rate, not synchronisation
        }
        due = Math.max(due + intervalNanos, System.nanoTime() - intervalNanos);
        step();
      }
    }

    private void step() {
      String key = settings.keys().get(random.nextInt(settings.keys().size()));
      int dice = random.nextInt(100);
      if (dice < 30) {
        read(key);
      } else if (dice < 60) {
        put(key, null);
      } else if (dice < 85) {
        Context known = contexts.get(key);
        put(key, known != null ? known : read(key));
      } else if (dice < 95) {
        Context fresh = read(key);
        if (fresh != null) {
          put(key, fresh);
        }
      } else {
        Context known = contexts.containsKey(key) ? contexts.get(key) : read(key);
        if (known != null && known.token() != null) {
          delete(key, known);
        }
      }
    }

    /** Reads the key; returns the context it answered with (token null: nothing stored), or null on failure. */
    private Context read(String key) {
      String node = router.pick(random);
      if (node == null) {
        return null;
      }
      long opId = history.nextId();
      long start = System.nanoTime();
      String path = "/kv/" + ChaosHttp.encodeKey(key) + "?r=" + settings.r() + "&timeout=" + settings.serverTimeoutMs();
      try {
        ChaosHttp.Reply reply = http.send("GET", router.port(node), path, null, clientTimeout(), "Accept",
            "application/json");
        long end = System.nanoTime();
        count("GET " + reply.status());
        if (reply.status() == 200 || reply.status() == 300 || reply.status() == 404) {
          List<String> seen = reply.status() == 404 ? List.of() : liveValues(reply);
          record(new Operation(opId, id, Kind.READ, key, null, Operation.NO_CONTEXT, Outcome.OK, seen, start, end,
              node, Integer.toString(reply.status())));
          Context context = new Context(reply.header("X-Context"), opId);
          contexts.put(key, context);
          return context;
        }
        record(new Operation(opId, id, Kind.READ, key, null, Operation.NO_CONTEXT, Outcome.FAILED, List.of(), start,
            end, node, reply.status() + " " + errorCode(reply)));
      } catch (IOException e) {
        failed(opId, Kind.READ, key, null, Operation.NO_CONTEXT, start, node, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }

    private void put(String key, Context context) {
      String value = "c" + id + "-" + (++seq);
      write(Kind.PUT, key, value, context);
    }

    private void delete(String key, Context context) {
      write(Kind.DELETE, key, null, context);
    }

    private void write(Kind kind, String key, String value, Context context) {
      String node = router.pick(random);
      if (node == null) {
        return;
      }
      long opId = history.nextId();
      long contextFrom = context == null || context.token() == null ? Operation.NO_CONTEXT : context.from();
      String method = kind == Kind.PUT ? "PUT" : "DELETE";
      List<String> headers = new ArrayList<>(List.of("Content-Type", "text/plain"));
      if (contextFrom != Operation.NO_CONTEXT) {
        headers.addAll(List.of("X-Context", context.token()));
      }
      long start = System.nanoTime();
      String path = "/kv/" + ChaosHttp.encodeKey(key) + "?w=" + settings.w() + "&timeout=" + settings.serverTimeoutMs();
      try {
        ChaosHttp.Reply reply = http.send(method, router.port(node), path,
            value == null ? null : value.getBytes(StandardCharsets.UTF_8), clientTimeout(),
            headers.toArray(String[]::new));
        long end = System.nanoTime();
        count(method + " " + reply.status());
        boolean ok = reply.status() == 204;
        record(new Operation(opId, id, kind, key, value, contextFrom, ok ? Outcome.OK : Outcome.FAILED, List.of(),
            start, end, node, ok ? "204" : reply.status() + " " + errorCode(reply)));
        String token = reply.header("X-Context");
        if (ok && token != null) {
          contexts.put(key, new Context(token, opId));
        }
      } catch (IOException e) {
        failed(opId, kind, key, value, contextFrom, start, node, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void failed(long opId, Kind kind, String key, String value, long contextFrom, long start, String node,
        IOException e) {
      String what = e instanceof HttpTimeoutException ? "timeout" : "error";
      count((kind == Kind.READ ? "GET" : kind.name()) + " " + what);
      record(new Operation(opId, id, kind, key, value, contextFrom, Outcome.UNKNOWN, List.of(), start,
          System.nanoTime(), node, what + ": " + e.getClass().getSimpleName() + " " + e.getMessage()));
    }

    private void record(Operation op) {
      history.record(op);
      if (op.acknowledged()) {
        latencies.recordValue(Math.min(latencies.getHighestTrackableValue(), op.latencyNanos() / 1_000));
      }
    }
  }

  private Duration clientTimeout() {
    return Duration.ofMillis(settings.clientTimeoutMs());
  }

  private void count(String what) {
    statuses.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /** The live sibling values of a sibling document (tombstones carry none). */
  static List<String> liveValues(ChaosHttp.Reply reply) {
    return SiblingValues.live(new JsonObject(reply.text()));
  }

  private static String errorCode(ChaosHttp.Reply reply) {
    try {
      return new JsonObject(reply.text()).getString("error", "");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
