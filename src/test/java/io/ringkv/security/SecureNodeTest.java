package io.ringkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.cli.DevCertificates;
import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import io.ringkv.testing.TlsProbe;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node with tokens and TLS (API.md, "Security"), through its real HTTPS port and feed: who
 * gets 401 and who 403, probes open, the feed's header and first-message authentication, a reload
 * of the token file, and not one token in anything the node logged meanwhile.
 */
class SecureNodeTest {
  static final String READER = "reader-7f3a9c1e5b2d4f60";
  static final String WRITER = "writer-1c9e8a7b6d5f4e3c";
  static final String ADMIN = "admin-5d4c3b2a19f8e7d6c5";
  static final String LATER = "later-0a1b2c3d4e5f6a7b8c";

  @TempDir
  static Path dir;
  private static Path tokenFile;
  private static DevCertificates.Issued certs;
  private static RingkvNode node;
  private static TlsProbe https;
  private static Vertx clientVertx;
  private static WebSocketClient wsClient;
  private static final ConcurrentLinkedQueue<String> LOGGED = new ConcurrentLinkedQueue<>();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord record) {
      StringWriter text = new StringWriter();
      text.append(String.valueOf(record.getMessage())).append(' ').append(String.valueOf(record.getParameters()));
      if (record.getThrown() != null) {
        record.getThrown().printStackTrace(new PrintWriter(text));
      }
      LOGGED.add(text.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void start() throws Exception {
    Logger.getLogger("").addHandler(CAPTURE);
    Logger.getLogger("").setLevel(Level.ALL);
    certs = DevCertificates.create(dir.resolve("tls"), "ringkv-test-ca");
    tokenFile = dir.resolve("tokens.json");
    Files.writeString(tokenFile, tokens(READER, "read", WRITER, "write", ADMIN, "admin"));
    node = TestNodes.startSingle("n1", dir.resolve("data"), Map.of("auth-tokens", tokenFile.toString(),
        "tls-cert", certs.cert().toString(), "tls-key", certs.key().toString(), "header-timeout-ms", "3000"));
    https = new TlsProbe(certs.ca(), node.httpPort());
    clientVertx = Vertx.vertx();
    wsClient = clientVertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.ca().toString())).setVerifyHost(false));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      TestNodes.stop(node);
    } finally {
      Logger.getLogger("").removeHandler(CAPTURE);
      Logger.getLogger("").setLevel(Level.INFO);
    }
    for (String record : LOGGED) {
      for (String token : new String[] {READER, WRITER, ADMIN, LATER}) {
        assertFalse(record.contains(token), "a token was logged: " + record);
      }
    }
  }

  static String tokens(String... tokenRolePairs) {
    StringBuilder json = new StringBuilder("{\"tokens\": [");
    for (int i = 0; i < tokenRolePairs.length; i += 2) {
      json.append(i == 0 ? "" : ", ").append("{\"token\": \"").append(tokenRolePairs[i])
          .append("\", \"roles\": [\"").append(tokenRolePairs[i + 1]).append("\"]}");
    }
    return json.append("]}").toString();
  }

  @Test
  void probesAndTheDemoPageAreOpenEverythingElseWantsAToken() {
    assertEquals(200, https.get("/health", null).status());
    assertEquals(200, https.get("/ready", null).status());
    assertEquals(200, https.get("/", null).status(), "the demo page loads, then asks for a token");
    for (String[] request : new String[][] {{"GET", "/kv/a"}, {"PUT", "/kv/a"}, {"DELETE", "/kv/a"},
        {"GET", "/cluster"}, {"GET", "/metrics"}, {"POST", "/cluster/antientropy/run"}, {"GET", "/feed"},
        {"POST", "/health"}}) {
      HttpProbe.Reply reply = https.send(request[0], request[1], null, request[0].equals("PUT") ? new byte[3] : null);
      assertUnauthorized(reply, request[0] + " " + request[1]);
      assertUnauthorized(https.send(request[0], request[1], "not-a-token", null), "unknown token");
    }
    assertUnauthorized(https.send("GET", "/kv/a", null, null, "Authorization", "Basic " + READER), "not Bearer");
  }

  @Test
  void eachRoleReachesWhatItMayAndGets403ForTheRest() {
    assertEquals(204, https.put("/kv/roles", WRITER, "v1").status());
    assertEquals(200, https.get("/kv/roles", READER).status());
    assertEquals("v1", https.get("/kv/roles", ADMIN).text());
    assertForbidden(https.put("/kv/roles", READER, "v2"), "write");
    assertForbidden(https.send("DELETE", "/kv/roles", READER, null), "write");
    assertForbidden(https.get("/kv/roles", WRITER), "read");
    assertEquals(200, https.get("/cluster", READER).status());
    assertForbidden(https.get("/metrics", READER), "admin");
    assertForbidden(https.send("POST", "/cluster/antientropy/run", WRITER, null), "admin");
    assertEquals(200, https.get("/metrics", ADMIN).status());
    assertEquals("v1", https.get("/kv/roles", READER).text(), "the refused writes changed nothing");
  }

  @Test
  void noSpellingOfAPathNeedsLessThanItsRole() {
    String raw = https.raw("GET /x/../metrics HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + READER
        + "\r\nConnection: close\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 403"), raw);
    raw = https.raw("GET //metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 401"), raw);
    raw = https.raw("PUT /kv/%2e%2e/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + READER
        + "\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
    assertTrue(raw.startsWith("HTTP/1.1 403"), raw);
  }

  @Test
  void plainHttpIsNotServed() {
    HttpProbe plain = new HttpProbe(node.httpPort());
    assertThrows(RuntimeException.class, () -> plain.get("/health"), "TLS only: a plain request gets no answer");
  }

  @Test
  void feedTakesTheTokenInTheUpgradeRequest() throws Exception {
    WebSocket ws = connect(READER);
    LinkedBlockingQueue<JsonObject> frames = frames(ws);
    ws.writeTextMessage("{\"type\":\"subscribe\",\"keys\":[\"feed-a\"]}");
    assertEquals("subscribed", next(frames).getString("type"));
    assertEquals(204, https.put("/kv/feed-a", WRITER, "event").status());
    assertEquals("feed-a", next(frames).getString("key"));
    ws.close().await(10, TimeUnit.SECONDS);
    Exception refused = assertThrows(Exception.class, () -> connect("wrong"));
    assertTrue(refused.getMessage().contains("401"), refused.getMessage());
    refused = assertThrows(Exception.class, () -> connect(WRITER));
    assertTrue(refused.getMessage().contains("403"), refused.getMessage());
  }

  @Test
  void feedTakesTheTokenAsTheFirstMessageAndClosesWith1008Otherwise() throws Exception {
    WebSocket ws = connect(null);
    LinkedBlockingQueue<JsonObject> frames = frames(ws);
    ws.writeTextMessage("{\"op\":\"auth\",\"token\":\"" + READER + "\"}");
    ws.writeTextMessage("{\"type\":\"subscribe\",\"keys\":[\"feed-b\"]}");
    assertEquals("subscribed", next(frames).getString("type"));
    ws.close().await(10, TimeUnit.SECONDS);

    for (String first : new String[] {"{\"type\":\"subscribe\",\"prefix\":\"\"}",
        "{\"op\":\"auth\",\"token\":\"" + WRITER + "\"}", "{\"op\":\"auth\",\"token\":\"nope\"}", "garbage"}) {
      WebSocket refused = connect(null);
      LinkedBlockingQueue<JsonObject> got = frames(refused);
      CompletableFuture<Short> closed = new CompletableFuture<>();
      refused.closeHandler(v -> closed.complete(refused.closeStatusCode()));
      refused.writeTextMessage(first);
      assertEquals("error", next(got).getString("type"), first);
      assertEquals((short) 1008, closed.get(10, TimeUnit.SECONDS), first);
    }
    WebSocket silent = connect(null);
    CompletableFuture<Short> closed = new CompletableFuture<>();
    silent.closeHandler(v -> closed.complete(silent.closeStatusCode()));
    assertEquals((short) 1008, closed.get(15, TimeUnit.SECONDS), "no auth message within header-timeout-ms");
  }

  @Test
  void aReloadReplacesTheTokens() throws Exception {
    try {
      Files.writeString(tokenFile, tokens(LATER, "admin", WRITER, "write"));
      assertEquals(2, node.reloadTokens());
      assertUnauthorized(https.get("/kv/a", READER), "a token removed by the reload");
      assertEquals(200, https.get("/metrics", LATER).status());
      Files.writeString(tokenFile, "{\"tokens\": [{\"token\": \"" + READER + "\"}]}"); // no roles: refused
      assertEquals(-1, node.reloadTokens());
      assertEquals(200, https.get("/metrics", LATER).status(), "a bad file keeps the tokens in force");
    } finally {
      Files.writeString(tokenFile, tokens(READER, "read", WRITER, "write", ADMIN, "admin"));
      assertEquals(3, node.reloadTokens());
    }
  }

  private static WebSocket connect(String token) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
        .setURI("/feed").setSsl(true);
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    return wsClient.connect(options).await(10, TimeUnit.SECONDS);
  }

  private static LinkedBlockingQueue<JsonObject> frames(WebSocket ws) {
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    return frames;
  }

  private static JsonObject next(LinkedBlockingQueue<JsonObject> frames) throws InterruptedException {
    JsonObject frame = frames.poll(15, TimeUnit.SECONDS);
    assertNotNull(frame, "no frame within 15 s");
    return frame;
  }

  static void assertUnauthorized(HttpProbe.Reply reply, String what) {
    assertEquals(401, reply.status(), what + ": " + reply);
    assertEquals("unauthorized", reply.json().getString("error"), what);
    assertNotNull(reply.json().getString("message"), what);
    assertTrue(String.valueOf(reply.header("WWW-Authenticate")).startsWith("Bearer"), what);
  }

  static void assertForbidden(HttpProbe.Reply reply, String role) {
    assertEquals(403, reply.status(), reply.toString());
    assertEquals("forbidden", reply.json().getString("error"));
    assertTrue(reply.json().getString("required").contains(role), reply.toString());
  }
}
