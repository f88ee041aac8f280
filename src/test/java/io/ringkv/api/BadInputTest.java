package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What clients get wrong: each mistake gets the documented 4xx JSON error and changes nothing
 * (checked by reading the key back and by counting what the store holds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  static final int LIMIT = 4096;

  RingkvNode node;
  HttpProbe http;
  String context;
  String etag;
  long storedBefore;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    node = TestNodes.startSingle("n1", dataDir, Map.of("max-value-bytes", Integer.toString(LIMIT)));
    http = new HttpProbe(node.httpPort());
    assertEquals(204, http.put("/kv/stable", "original", "Content-Type", "text/plain").status());
  }

  @AfterAll
  void stop() {
    TestNodes.stop(node);
  }

  @BeforeEach
  void snapshot() {
    Reply r = http.get("/kv/stable");
    context = r.header("X-Context");
    etag = r.header("ETag");
    storedBefore = storedRecords();
  }

  @AfterEach
  void nothingChanged() {
    Reply r = http.get("/kv/stable");
    assertEquals(200, r.status());
    assertEquals("original", r.text());
    assertEquals(context, r.header("X-Context"));
    assertEquals(etag, r.header("ETag"));
    assertEquals(storedBefore, storedRecords(), "a bad request stored something");
  }

  @Test
  void malformedOrForgedContextsAreRefused() {
    byte[] valid = Base64.getUrlDecoder().decode(context);
    byte[] altered = valid.clone();
    altered[altered.length / 2] ^= 0x01;
    byte[] random = new byte[valid.length];
    new Random(7).nextBytes(random);
    String[] bad = {
        "garbage!!", "%%%", context + "=", context.substring(0, context.length() - 2),
        Base64.getUrlEncoder().withoutPadding().encodeToString(altered),
        Base64.getUrlEncoder().withoutPadding().encodeToString(random),
        Base64.getEncoder().encodeToString(valid), "AAAA", "A"};
    for (String token : bad) {
      expect400(http.put("/kv/stable", "forged", "X-Context", token), "PUT with context " + token);
      expect400(http.delete("/kv/stable", "X-Context", token), "DELETE with context " + token);
    }
  }

  @Test
  void emptyKeysAreRefusedOnEveryEndpoint() {
    for (String path : new String[] {"/kv/", "/kv"}) {
      expect400(http.get(path), "GET " + path);
      expect400(http.put(path, "v"), "PUT " + path);
      expect400(http.delete(path), "DELETE " + path);
    }
  }

  @Test
  void keysOver1024BytesAreRefused() {
    String key = "k".repeat(1025);
    expect400(http.get("/kv/" + key), "GET long key");
    expect400(http.put("/kv/" + key, "v"), "PUT long key");
    expect400(http.delete("/kv/" + key), "DELETE long key");
    // 1024 bytes of UTF-8 is the limit, not 1024 characters: 513 two-byte characters is too long.
    expect400(http.put("/kv/" + "%C3%A9".repeat(513), "v"), "PUT 1026-byte key");
  }

  @Test
  void invalidUtf8KeysAreRefused() {
    for (String key : new String[] {"%FF", "%C3%28", "%C0%AF", "%ED%A0%80", "ok%80"}) {
      expect400(http.get("/kv/" + key), "GET " + key);
      expect400(http.put("/kv/" + key, "v"), "PUT " + key);
      expect400(http.delete("/kv/" + key), "DELETE " + key);
    }
  }

  @Test
  void brokenPercentEscapesAreRefused() {
    for (String path : new String[] {"/kv/%ZZ", "/kv/abc%4", "/kv/abc%"}) {
      String reply = http.raw("PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv");
      assertTrue(reply.startsWith("HTTP/1.1 400"), path + " -> " + reply);
      assertTrue(reply.contains("\"error\":\"bad_request\""), reply);
    }
  }

  @Test
  void badQuorumParametersAreRefused() {
    for (String r : new String[] {"abc", "0", "2", "-1", "1.5", "", "two", "99999999999"}) {
      expect400(http.get("/kv/stable?r=" + r), "r=" + r);
      expect400(http.put("/kv/stable?w=" + r, "v"), "w=" + r);
      expect400(http.delete("/kv/stable?w=" + r), "DELETE w=" + r);
    }
    // The words and 1..N are accepted.
    for (String r : new String[] {"1", "one", "quorum", "all"}) {
      assertEquals(200, http.get("/kv/stable?r=" + r).status(), "r=" + r);
    }
  }

  @Test
  void badTimeoutSloppyAndReturnBodyAreRefused() {
    for (String t : new String[] {"abc", "0", "-5", "99999999"}) {
      expect400(http.get("/kv/stable?timeout=" + t), "timeout=" + t);
      expect400(http.put("/kv/stable?timeout=" + t, "v"), "PUT timeout=" + t);
    }
    expect400(http.get("/kv/stable?sloppy=maybe"), "sloppy=maybe");
    expect400(http.put("/kv/stable?sloppy=1", "v"), "PUT sloppy=1");
    expect400(http.put("/kv/stable?returnbody=yes", "v"), "returnbody=yes");
  }

  @Test
  void parametersGivenTwiceAreRefusedByName() {
    for (String name : new String[] {"r", "timeout", "sloppy"}) {
      expectNamed(http.get("/kv/stable?" + name + "=1&" + name + "=abc"), name, "GET");
    }
    for (String name : new String[] {"w", "timeout", "sloppy", "returnbody"}) {
      expectNamed(http.put("/kv/stable?" + name + "=1&x=2&" + name + "=1", "v"), name, "PUT");
    }
    for (String name : new String[] {"w", "timeout", "sloppy"}) {
      expectNamed(http.delete("/kv/stable?" + name + "=true&" + name + "="), name, "DELETE");
    }
    // Even two equal values: the client's intent is unclear, and a proxy may have added one.
    expectNamed(http.get("/kv/stable?r=1&r=1"), "r", "GET");
  }

  @Test
  void parametersAnEndpointDoesNotTakeAreIgnored() {
    Reply r = http.get("/kv/stable?foo=1&foo=2&w=1&w=abc&returnbody=maybe");
    assertEquals(200, r.status(), r.toString());
    assertEquals("original", r.text());
  }

  @Test
  void oversizeBodyIs413() {
    Reply r = http.put("/kv/stable", new byte[LIMIT + 1]);
    assertEquals(413, r.status());
    JsonObject body = r.json();
    assertEquals("too_large", body.getString("error"));
    assertEquals(LIMIT, body.getInteger("limit"));
    // Declared too large up front, without sending it all.
    String raw = http.raw("PUT /kv/stable HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\nabc");
    assertTrue(raw.startsWith("HTTP/1.1 413"), raw);
  }

  @Test
  void unknownMethodsAre405WithAllow() {
    for (String method : new String[] {"POST", "PATCH", "OPTIONS"}) {
      Reply r = http.send(method, "/kv/stable", "x".getBytes(), "Content-Type", "application/json");
      assertEquals(405, r.status(), method);
      assertEquals("method_not_allowed", r.json().getString("error"));
      assertEquals("GET, PUT, DELETE", r.header("Allow"));
    }
  }

  private static void expectNamed(Reply r, String name, String what) {
    expect400(r, what + " with " + name + " twice");
    String message = r.json().getString("message");
    assertTrue(message.contains("'" + name + "'") && message.contains("2 times"), what + ": " + message);
  }

  private static void expect400(Reply r, String what) {
    assertEquals(400, r.status(), what + " -> " + r);
    JsonObject body = r.json();
    assertEquals("bad_request", body.getString("error"), what);
    assertNotNull(body.getString("message"), what);
    assertTrue(!body.getString("message").contains("Exception") && !body.getString("message").contains("\tat "),
        "no stack traces: " + body);
  }

  private long storedRecords() {
    AtomicInteger count = new AtomicInteger();
    node.store().engine().scan(new byte[] {0x01}, new byte[] {0x02}, (k, v) -> {
      count.incrementAndGet();
      return true;
    });
    return count.get();
  }

}
