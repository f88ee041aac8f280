package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value is the request body as opaque bytes, whatever its content type and however it is framed
 * (Content-Length or chunked): stored byte for byte up to the limit, a 413 with {@code limit}
 * above it. Real HTTP requests over sockets, so the framing is exactly as written here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValueBodyTest {
  /** Above the HTTP server's 8 KiB form attribute limit, which form decoding would run into. */
  static final int LIMIT = 20_000;
  static final String[] CONTENT_TYPES = {
      null, "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8",
      "application/octet-stream", "multipart/form-data; boundary=xyz", "text/plain"};

  RingkvNode node;
  HttpProbe http;
  final AtomicInteger keys = new AtomicInteger();

  @BeforeAll
  void start(@TempDir Path dataDir) {
    node = TestNodes.startSingle("n1", dataDir, Map.of("max-value-bytes", Integer.toString(LIMIT)));
    http = new HttpProbe(node.httpPort());
  }

  @AfterAll
  void stop() {
    TestNodes.stop(node);
  }

  @Test
  void aBodyAtTheLimitIsStoredByteForByteWhateverItsTypeAndFraming() {
    String body = formLikeBody(LIMIT);
    for (String type : CONTENT_TYPES) {
      for (Framing framing : Framing.values()) {
        String key = "at-limit-" + keys.incrementAndGet();
        String reply = http.raw(put(key, type, body, framing));
        assertTrue(reply.startsWith("HTTP/1.1 204"), type + " " + framing + " -> " + reply);
        assertStored(key, type, body.getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  void aBodyOneByteOverTheLimitIs413WhateverItsTypeAndFraming() {
    String body = formLikeBody(LIMIT + 1);
    for (String type : CONTENT_TYPES) {
      for (Framing framing : Framing.values()) {
        String key = "over-limit-" + keys.incrementAndGet();
        String reply = http.raw(put(key, type, body, framing));
        assertTooLarge(reply, type + " " + framing);
        assertEquals(404, http.get("/kv/" + key).status(), "nothing stored for " + type + " " + framing);
      }
    }
  }

  @Test
  void aBodyFarOverTheLimitIs413() {
    String body = "a=" + "x".repeat(LIMIT * 5);
    for (Framing framing : Framing.values()) {
      String key = "far-over-" + keys.incrementAndGet();
      String reply = http.raw(put(key, "application/x-www-form-urlencoded", body, framing));
      assertTooLarge(reply, framing.toString());
      assertEquals(404, http.get("/kv/" + key).status());
    }
  }

  @Test
  void aFormEncodedBodyIsNeitherDecodedNorMergedIntoTheParameters() {
    String form = "application/x-www-form-urlencoded";
    Reply r = http.put("/kv/form", "a=1&b=%20", "Content-Type", form);
    assertEquals(204, r.status(), r.toString());
    assertStored("form", form, "a=1&b=%20".getBytes(StandardCharsets.US_ASCII));
    // Form fields named like query parameters are value bytes, not parameters.
    r = http.put("/kv/form-params", "w=abc&r=0&timeout=-1&returnbody=true", "Content-Type", form);
    assertEquals(204, r.status(), r.toString());
    assertStored("form-params", form, "w=abc&r=0&timeout=-1&returnbody=true".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anEmptyBodyIsAnEmptyValue() {
    for (Framing framing : Framing.values()) {
      String key = "empty-" + keys.incrementAndGet();
      String reply = http.raw(put(key, "application/x-www-form-urlencoded", "", framing));
      assertTrue(reply.startsWith("HTTP/1.1 204"), framing + " -> " + reply);
      assertStored(key, "application/x-www-form-urlencoded", new byte[0]);
    }
  }

  @Test
  @Timeout(60)
  void expectContinueIsHonouredAndADeclaredOversizeBodyIsRefusedUpFront() throws IOException {
    String form = "Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n";
    String body = formLikeBody(LIMIT);
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /kv/expect HTTP/1.1\r\nHost: x\r\n" + form + "Content-Length: " + LIMIT + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("HTTP/1.1 100 Continue", in.readLine());
      assertEquals("", in.readLine());
      out.write(body.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals("HTTP/1.1 204 No Content", in.readLine());
    }
    assertStored("expect", "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.US_ASCII));
    // Too large by its Content-Length: no 100 Continue, a 413, and the connection is closed (the
    // client will not send the body, so the server must not wait for it).
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("PUT /kv/expect-big HTTP/1.1\r\nHost: x\r\n" + form + "Content-Length: "
          + (LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTooLarge(reply, "Expect: 100-continue");
      assertTrue(reply.toLowerCase(Locale.ROOT).contains("connection: close"), reply);
    }
    assertEquals(404, http.get("/kv/expect-big").status());
  }

  @Test
  void anOversizeBodyLeavesAKeepAliveConnectionUsable() throws IOException {
    String big = "a=" + "x".repeat(LIMIT);
    for (Framing framing : Framing.values()) {
      String key = "keep-alive-" + keys.incrementAndGet();
      String requests = put(key, "application/x-www-form-urlencoded", big, framing).replace("Connection: close\r\n", "")
          + "GET /kv/stable-after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      try (Socket socket = new Socket("127.0.0.1", http.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
        String replies = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(replies.startsWith("HTTP/1.1 413"), framing + " -> " + replies);
        assertTrue(replies.contains("HTTP/1.1 404"), "the next request on the connection is answered: " + replies);
      }
    }
  }

  private void assertStored(String key, String type, byte[] expected) {
    Reply r = http.get("/kv/" + key);
    assertEquals(200, r.status(), key + " -> " + r);
    assertEquals(type == null ? "application/octet-stream" : type, r.header("Content-Type"), key);
    assertArrayEquals(expected, r.body(), key);
  }

  private static void assertTooLarge(String reply, String what) {
    assertTrue(reply.startsWith("HTTP/1.1 413"), what + " -> " + reply);
    JsonObject body = new JsonObject(reply.substring(reply.indexOf("\r\n\r\n") + 4));
    assertEquals("too_large", body.getString("error"), what);
    assertEquals(LIMIT, body.getInteger("limit"), what);
    assertTrue(body.getString("message").contains(Integer.toString(LIMIT)), what);
  }

  /** What curl sends with --data-binary: `name=value` bytes, here one long attribute. */
  private static String formLikeBody(int length) {
    return "a=" + "x".repeat(length - 2);
  }

  enum Framing { CONTENT_LENGTH, ONE_CHUNK, SMALL_CHUNKS }

  private static String put(String key, String type, String body, Framing framing) {
    StringBuilder request = new StringBuilder("PUT /kv/" + key + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    if (type != null) {
      request.append("Content-Type: ").append(type).append("\r\n");
    }
    if (framing == Framing.CONTENT_LENGTH) {
      return request.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body).toString();
    }
    request.append("Transfer-Encoding: chunked\r\n\r\n");
    int chunk = framing == Framing.ONE_CHUNK ? Math.max(1, body.length()) : 1000;
    for (int at = 0; at < body.length(); at += chunk) {
      String part = body.substring(at, Math.min(body.length(), at + chunk));
      request.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    return request.append("0\r\n\r\n").toString();
  }
}
