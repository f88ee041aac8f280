package io.ringkv.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus (docs/security.md): a seeded run of thousands of malformed requests and
 * feed frames against a real node with tokens on. Every answer is a 4xx (or a documented status)
 * with a JSON error, never a 5xx or a hang; the node stays healthy; and a keyed checksum of every
 * record in its store is the same after the run as before it: nothing got in, nothing got written.
 * Then slow and idle clients: a connection sending its headers a byte a second is cut off after
 * {@code header-timeout-ms}, and thousands of idle connections do not stop the node serving.
 */
class BadInputFuzzTest {
  private static final long SEED = Long.getLong("ringkv.fuzz.seed", 20_261_206L);
  private static final int REQUESTS = Integer.getInteger("ringkv.fuzz.requests", 3_000);
  private static final int FEED_CONNECTIONS = Integer.getInteger("ringkv.fuzz.feed", 180);
  private static final int MAX_VALUE_BYTES = 4_096;
  private static final long HEADER_TIMEOUT_MS = 2_000;
  private static final int PARTITIONS = 16;
  static final String READER = "fuzz-reader-0d8c6e5f";
  static final String WRITER = "fuzz-writer-7a2b9c4d";

  @TempDir
  static Path dir;
  private static RingkvNode node;
  private static HttpProbe http;
  private static String foreignContext;

  @BeforeAll
  static void start() throws IOException {
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(tokens, SecureNodeTest.tokens(READER, "read", WRITER, "write"));
    node = TestNodes.startSingle("n1", dir.resolve("data"), Map.of("auth-tokens", tokens.toString(),
        "max-value-bytes", Integer.toString(MAX_VALUE_BYTES), "partitions", Integer.toString(PARTITIONS),
        "header-timeout-ms", Long.toString(HEADER_TIMEOUT_MS)));
    http = new HttpProbe(node.httpPort());
    for (int i = 0; i < 200; i++) {
      assertEquals(204, http.put("/kv/seed-" + i, "value-" + i, bearer(WRITER)).status());
    }
    for (int i = 0; i < 50; i++) { // the keys the corpus aims at exist too, so a write would change them
      assertEquals(204, http.put("/kv/fuzz-" + i, "target", bearer(WRITER)).status());
      assertEquals(204, http.put("/kv/fuzz-b-" + i, "target", bearer(WRITER)).status());
      assertEquals(204, http.put("/kv/fuzz-c-" + i, "target", bearer(WRITER)).status());
    }
    foreignContext = http.get("/kv/seed-0", bearer(READER)).header("X-Context");
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  private static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  @Test
  void malformedRequestsAndFeedFramesGetErrorsAndWriteNothing() throws Exception {
    byte[] before = checksum();
    long started = System.nanoTime();
    List<FuzzCorpus.Case> corpus = new FuzzCorpus(SEED, READER, WRITER, foreignContext, MAX_VALUE_BYTES)
        .generate(REQUESTS);
    Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (FuzzCorpus.Case c : corpus) {
        runs.add(pool.submit(() -> exchange(c, tally, failures)));
      }
      for (int i = 0; i < FEED_CONNECTIONS; i++) {
        int kind = i % 9;
        FeedFuzz feedRun = new FeedFuzz(SEED + i, node.httpPort(), READER);
        runs.add(pool.submit(() -> {
          FeedFuzz.Outcome outcome = feedRun.run(kind);
          tally.computeIfAbsent("feed " + kind + " " + outcome, k -> new AtomicInteger()).incrementAndGet();
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("bad-input corpus: %d requests, %d feed connections in %.1f s (seed %d): %s%n", REQUESTS,
        FEED_CONNECTIONS, (System.nanoTime() - started) / 1e9, SEED, new TreeMap<>(tally));
    assertTrue(failures.isEmpty(), failures.size() + " bad answers, first: " + failures.stream().limit(5).toList());
    assertEquals(200, http.get("/health").status());
    assertEquals(200, http.get("/ready").status());
    assertEquals("value-7", http.get("/kv/seed-7", bearer(READER)).text());
    assertArrayEquals(before, checksum(), "the store changed: a bad request wrote something");
    assertEquals(204, http.put("/kv/after-fuzz", "fine", bearer(WRITER)).status());
    assertEquals("fine", http.get("/kv/after-fuzz", bearer(READER)).text());
  }

  private static Void exchange(FuzzCorpus.Case c, Map<String, AtomicInteger> tally, ConcurrentLinkedQueue<String> failures)
      throws IOException {
    RawExchange.Result r = RawExchange.send(node.httpPort(), c.bytes(), c.halfClose(), c.head(), 15_000);
    tally.computeIfAbsent(c.family() + " " + (r.kind() == RawExchange.Kind.ANSWERED ? r.status() : r.kind()),
        k -> new AtomicInteger()).incrementAndGet();
    String request = new String(c.bytes(), 0, Math.min(160, c.bytes().length), StandardCharsets.ISO_8859_1);
    if (r.kind() == RawExchange.Kind.HUNG) {
      failures.add("no answer and no close within 15 s: " + request);
    } else if (r.kind() == RawExchange.Kind.ANSWERED && (r.status() >= 500 || r.status() < 200)) {
      failures.add(r + " for " + request);
    } else if (r.kind() == RawExchange.Kind.ANSWERED && r.status() >= 400 && !c.head() && !isJsonError(r.body())) {
      failures.add("not a JSON error: " + r + " for " + request);
    } else if (r.kind() == RawExchange.Kind.ANSWERED && r.status() < 300 && c.family().matches("params|body|context")) {
      failures.add("a request with a defect succeeded: " + r + " for " + request);
    }
    return null;
  }

  private static boolean isJsonError(String body) {
    try {
      JsonObject json = new JsonObject(body);
      return json.getValue("error") instanceof String && json.getValue("message") instanceof String;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void aClientSendingItsHeadersAByteASecondIsCutOff() throws Exception {
    byte[] request = ("GET /kv/seed-1 HTTP/1.1\r\nHost: slow\r\nAuthorization: Bearer " + READER + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
      socket.setSoTimeout(250);
      long start = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      int sent = 0;
      boolean closed = false;
      while (!closed && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
        try {
          out.write(request[sent++ % request.length]);
          out.flush();
        } catch (IOException e) {
          closed = true;
          break;
        }
        long nextByte = System.nanoTime() + 1_000_000_000L;
        while (!closed && System.nanoTime() < nextByte) {
          try {
            closed = in.read() < 0;
          } catch (SocketTimeoutException e) {
            // still open
          } catch (IOException e) {
            closed = true;
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(closed, "the slow connection was still open after 30 s");
      assertTrue(seconds >= HEADER_TIMEOUT_MS / 1000.0 - 0.2, "cut off too early: " + seconds + " s");
      assertTrue(sent < request.length, "the headers were never complete, sent " + sent + " bytes");
      System.out.printf("slow client cut off after %.1f s and %d bytes%n", seconds, sent);
    }
  }

  @Test
  void thousandsOfIdleConnectionsDoNotStopTheNodeServing() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 2_000; i++) {
        Socket s = new Socket("127.0.0.1", node.httpPort());
        idle.add(s);
      }
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        assertEquals("value-" + (i % 200), http.get("/kv/seed-" + (i % 200), bearer(READER)).text());
      }
      double ms = (System.nanoTime() - start) / 1e6;
      System.out.printf("100 reads with 2000 idle connections open: %.0f ms%n", ms);
      // Every idle connection is closed by the server once header-timeout-ms has passed (bounded wait).
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * HEADER_TIMEOUT_MS + 10_000);
      int closedByServer = 0;
      for (Socket s : idle) {
        try {
          s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          closedByServer += s.getInputStream().read() < 0 ? 1 : 0;
        } catch (SocketTimeoutException e) {
          break; // past the deadline: the rest stay open too
        } catch (IOException e) {
          closedByServer++;
        }
      }
      assertEquals(idle.size(), closedByServer, "idle connections are closed after header-timeout-ms");
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    assertEquals(200, http.get("/health").status());
  }

  /** HMAC-SHA256 over every stored key and record of every partition, in key order. */
  private static byte[] checksum() throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("ringkv-fuzz-checksum".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    int keys = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      byte[] after = null;
      while (true) {
        var page = node.store().scanPartition(p, after, 1_000, 1 << 20);
        for (var e : page.entries()) {
          mac.update(intBytes(p));
          mac.update(intBytes(e.key().length));
          mac.update(e.key());
          mac.update(intBytes(e.record().length));
          mac.update(e.record());
          after = e.key();
          keys++;
        }
        if (page.end() || page.entries().isEmpty()) {
          break;
        }
      }
    }
    assertTrue(keys >= 350, "the checksum covers the seeded keys, got " + keys);
    return mac.doFinal();
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
