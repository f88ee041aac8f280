package io.ringkv.feed;

import io.ringkv.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.Map;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Not a unit test: {@code java ... io.ringkv.feed.FeedLatencyBench [subscribers=100] [rate=1000]
 * [seconds=10] [idle=2000]}. Three clustered nodes in this JVM. Measures (1) latency from the
 * write's 204 at the writer (through n1) to the event at 100 subscribers on n3, (2) heap per idle
 * subscriber, (3) write throughput with and without 100 never-reading subscribers.
 */
public final class FeedLatencyBench {
  private static final int WARMUP_SECONDS = Integer.getInteger("warmupSeconds", 20);

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int idle = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
    Path dir = Files.createTempDirectory("feed-bench");
    try (TestCluster cluster = TestCluster.start(3, dir, Map.of())) {
      Vertx vertx = Vertx.vertx();
      String phases = System.getProperty("phases", "latency,memory,throughput");
      if (phases.contains("latency")) {
        latency(vertx, cluster, subscribers, rate, seconds);
      }
      if (phases.contains("memory")) {
        memory(cluster.node(1).httpPort(), idle);
      }
      if (phases.contains("throughput")) {
        throughput(vertx, cluster, subscribers);
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  // ------------------------------------------------------------ 1. latency

  static void latency(Vertx vertx, TestCluster cluster, int subscribers, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    long[] acked = new long[total];
    long[][] arrived = new long[subscribers][total];
    WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(subscribers));
    List<WebSocket> sockets = new ArrayList<>();
    for (int s = 0; s < subscribers; s++) {
      WebSocket ws = wsClient.connect(cluster.node(3).httpPort(), "127.0.0.1", "/feed").await(10, TimeUnit.SECONDS);
      long[] mine = arrived[s];
      Promise<Void> subscribed = Promise.promise();
      ws.textMessageHandler(text -> {
        long now = System.nanoTime();
        int at = text.indexOf("\"key\":\"bench/");
        if (at >= 0) {
          int end = text.indexOf('"', at + 13);
          if (text.charAt(at + 13) != 'w') { // bench/w...: warm-up writes
            mine[Integer.parseInt(text.substring(at + 13, end))] = now;
          }
        } else {
          subscribed.tryComplete();
        }
      });
      ws.writeTextMessage("{\"type\":\"subscribe\",\"prefix\":\"bench/\"}");
      subscribed.future().await(10, TimeUnit.SECONDS);
      sockets.add(ws);
    }
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(cluster.node(1).httpPort())
        .setDefaultHost("127.0.0.1"), new PoolOptions().setHttp1MaxSize(64));
    // Warm-up (not measured): the same writes and events until the JIT has compiled the paths.
    long[] warmAcks = new long[rate * WARMUP_SECONDS];
    openLoop(vertx, http, "bench%2Fw", rate, warmAcks).await(WARMUP_SECONDS + 60, TimeUnit.SECONDS);
    Thread.sleep(2000);
    long start = System.nanoTime();
    openLoop(vertx, http, "bench%2F", rate, acked).await(seconds + 60, TimeUnit.SECONDS);
    Thread.sleep(2000);
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    long failedWrites = 0;
    long missing = 0;
    long beforeAck = 0;
    for (int i = 0; i < total; i++) {
      if (acked[i] < 0) {
        failedWrites++;
        continue;
      }
      for (int s = 0; s < subscribers; s++) {
        long t = arrived[s][i];
        if (t == 0) {
          missing++;
        } else {
          beforeAck += t < acked[i] ? 1 : 0;
          h.recordValue(Math.max(0, t - acked[i]));
        }
      }
    }
    System.out.printf("LATENCY subscribers=%d rate=%d/s writes=%d (failed %d) in %.1f s; events %d, missing %d, "
            + "arrived before the writer saw 204: %d%n", subscribers, rate, total, failedWrites,
        (System.nanoTime() - start) / 1e9, h.getTotalCount(), missing, beforeAck);
    System.out.printf("LATENCY ack->event p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms%n",
        h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
        h.getMaxValue() / 1e6);
    for (WebSocket ws : sockets) {
      ws.close();
    }
    http.close();
    wsClient.close();
  }

  /** Open loop: every millisecond, sends the PUTs the schedule says are due; acks[i] = nanoTime of the 204, -1 if failed. */
  private static Future<Void> openLoop(Vertx vertx, HttpClient http, String keyPrefix, int rate, long[] acks) {
    Buffer value = Buffer.buffer("x".repeat(100));
    int total = acks.length;
    AtomicLong sent = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    Promise<Void> finished = Promise.promise();
    vertx.setPeriodic(1, id -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent.get() < due) {
        int i = (int) sent.getAndIncrement();
        http.request(HttpMethod.PUT, "/kv/" + keyPrefix + i)
            .compose(req -> req.send(value))
            .onComplete((resp, err) -> {
              acks[i] = err == null && resp.statusCode() == 204 ? System.nanoTime() : -1;
              if (done.incrementAndGet() == total) {
                finished.tryComplete();
              }
            });
      }
      if (sent.get() >= total) {
        vertx.cancelTimer(id);
      }
    });
    return finished.future();
  }

  // ------------------------------------------------------------ 2. memory per idle subscriber

  static void memory(int port, int k) throws Exception {
    // What k loopback connections cost with no feed at all (both ends are in this JVM).
    List<SocketChannel> plain = new ArrayList<>();
    long before = usedHeap();
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      for (int i = 0; i < k; i++) {
        plain.add(SocketChannel.open(server.getLocalAddress()));
        plain.add(server.accept());
      }
      long plainBytes = usedHeap() - before;
      for (SocketChannel c : plain) {
        c.close();
      }
      System.out.printf("MEMORY baseline: %d plain loopback connections (both ends, java.nio) = %.0f bytes each%n",
          k, (double) plainBytes / k);
    }
    List<SocketChannel> feeds = new ArrayList<>();
    before = usedHeap();
    for (int i = 0; i < k; i++) {
      feeds.add(subscribe(port, "idle/" + i + "/"));
    }
    long feedBytes = usedHeap() - before;
    System.out.printf("MEMORY %d idle subscribed feed connections (client ends are bare java.nio channels): "
        + "%.0f bytes each, heap total %.1f MiB%n", k, (double) feedBytes / k, feedBytes / 1048576.0);
    for (SocketChannel c : feeds) {
      c.close();
    }
  }

  static SocketChannel subscribe(int port, String prefix) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    ch.write(ByteBuffer.wrap(("GET /feed HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1)));
    readUntil(ch, "\r\n\r\n");
    byte[] payload = ("{\"type\":\"subscribe\",\"prefix\":\"" + prefix + "\"}").getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
    frame.put((byte) 0x81).put((byte) (0x80 | payload.length)).put(new byte[4]).put(payload).flip(); // zero mask
    ch.write(frame);
    readUntil(ch, "subscribed");
    return ch;
  }

  private static void readUntil(SocketChannel ch, String marker) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    StringBuilder seen = new StringBuilder();
    while (!seen.toString().contains(marker)) {
      buf.clear();
      if (ch.read(buf) < 0) {
        throw new IOException("closed before " + marker);
      }
      seen.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
    }
  }

  static long usedHeap() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  // ------------------------------------------------------------ 3. slow subscribers vs write throughput

  static void throughput(Vertx vertx, TestCluster cluster, int slow) throws Exception {
    int port = cluster.node(1).httpPort();
    double without = closedLoop(vertx, port, "tp/a/", 5);
    List<RawFeedSocket> stalled = new ArrayList<>();
    for (int i = 0; i < slow; i++) {
      RawFeedSocket s = new RawFeedSocket(port);
      s.sendText("{\"type\":\"subscribe\",\"prefix\":\"tp/\"}");
      s.read();
      stalled.add(s); // never read again
    }
    double with = closedLoop(vertx, port, "tp/b/", 5);
    double withAgain = closedLoop(vertx, port, "tp/c/", 5);
    System.out.printf("THROUGHPUT second run with the stalled subscribers: %.0f writes/s%n", withAgain);
    System.out.printf("THROUGHPUT closed loop, 32 in flight, 1 KiB values, through n1: %.0f writes/s without, "
        + "%.0f writes/s with %d never-reading subscribers on n1 (%.0f%%)%n", without, with, slow, 100 * with / without);
    for (RawFeedSocket s : stalled) {
      s.close();
    }
    Thread.sleep(1000);
    System.out.printf("THROUGHPUT after closing them: %.0f writes/s%n", closedLoop(vertx, port, "tp/d/", 5));
  }

  static double closedLoop(Vertx vertx, int port, String prefix, int seconds) throws Exception {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(32));
    Buffer value = Buffer.buffer(new byte[1024]);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong ok = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < 32; c++) {
      Promise<Void> p = Promise.promise();
      vertx.runOnContext(v -> loop(http, prefix, value, end, ok, seq, p));
      loops.add(p.future());
    }
    Future.all(loops).await(seconds + 60, TimeUnit.SECONDS);
    http.close();
    return ok.get() / (double) seconds;
  }

  private static void loop(HttpClient http, String prefix, Buffer value, long end, AtomicLong ok, AtomicLong seq,
      Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    http.request(HttpMethod.PUT, "/kv/" + prefix.replace("/", "%2F") + seq.incrementAndGet())
        .compose(req -> req.send(value))
        .onComplete((resp, err) -> {
          if (err == null && resp.statusCode() == 204) {
            ok.incrementAndGet();
          }
          loop(http, prefix, value, end, ok, seq, done);
        });
  }

}
