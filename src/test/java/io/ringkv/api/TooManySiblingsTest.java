package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.SiblingDocs;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blind writes until a key holds max-siblings versions: the next one is a 409 that stores nothing,
 * the warning threshold is counted on /metrics, and writing with a read's context (or with the
 * context of one's own previous write) keeps a key from growing at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TooManySiblingsTest {
  static final int WARN = 3;
  static final int MAX = 5;

  RingkvNode node;
  HttpProbe http;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    node = TestNodes.startSingle("n1", dataDir, Map.of("siblings-warn", Integer.toString(WARN),
        "max-siblings", Integer.toString(MAX)));
    http = new HttpProbe(node.httpPort());
  }

  @AfterAll
  void stop() {
    TestNodes.stop(node);
  }

  @Test
  void aBlindWriteBeyondMaxSiblingsIs409AndIsNotStored() {
    double refusedBefore = meter("ringkv_siblings_refused_total");
    double warnedBefore = meter("ringkv_siblings_warnings_total");
    for (int i = 1; i <= MAX; i++) {
      assertEquals(204, http.put("/kv/hot", "v" + i, "Content-Type", "text/plain").status(), "write " + i);
    }
    assertEquals(warnedBefore + 1, meter("ringkv_siblings_warnings_total"),
        "writes 4 and 5 are above the warning threshold: one warning for the key in this minute");

    Reply refused = http.put("/kv/hot", "v6", "Content-Type", "text/plain");
    assertEquals(409, refused.status(), refused.toString());
    JsonObject body = refused.json();
    assertEquals("too_many_siblings", body.getString("error"));
    assertEquals(MAX, body.getInteger("limit"));
    assertEquals(MAX + 1, body.getInteger("siblings"));
    assertTrue(body.getString("message").contains("X-Context"), body.getString("message"));
    assertEquals(409, http.put("/kv/hot?returnbody=true", "v7").status(), "returnbody changes nothing");
    assertEquals(refusedBefore + 2, meter("ringkv_siblings_refused_total"));

    Reply read = http.get("/kv/hot");
    assertEquals(300, read.status());
    Set<String> values = SiblingDocs.values(read.json());
    assertEquals(Set.of("v1", "v2", "v3", "v4", "v5"), values, "the refused writes are not stored");

    // Writing with the context of that read replaces every sibling it saw.
    Reply merged = http.put("/kv/hot", "merged", "X-Context", read.header("X-Context"), "Content-Type", "text/plain");
    assertEquals(204, merged.status(), merged.toString());
    Reply after = http.get("/kv/hot");
    assertEquals(200, after.status());
    assertEquals("merged", after.text());
  }

  @Test
  void aClientThatWritesWithItsPreviousContextNeverGrowsTheKey() {
    Reply first = http.put("/kv/chained", "0");
    assertEquals(204, first.status());
    String context = first.header("X-Context");
    for (int i = 1; i <= 3 * MAX; i++) {
      Reply r = http.put("/kv/chained", Integer.toString(i), "X-Context", context);
      assertEquals(204, r.status(), "write " + i + ": " + r);
      context = r.header("X-Context");
      assertNotNull(context);
    }
    Reply read = http.get("/kv/chained");
    assertEquals(200, read.status());
    assertEquals(Integer.toString(3 * MAX), read.text());
  }

  @Test
  void aDeleteOfAKeyAtTheLimitCoversWhatItReads() {
    for (int i = 1; i <= MAX; i++) {
      assertEquals(204, http.put("/kv/full", "v" + i).status());
    }
    assertEquals(409, http.put("/kv/full", "one too many").status());
    assertEquals(204, http.delete("/kv/full").status(), "a plain DELETE writes with the context it read");
    assertEquals(404, http.get("/kv/full").status());
    // One tombstone is left: blind writes are accepted again.
    assertEquals(204, http.put("/kv/full", "fresh").status());
    assertTrue(SiblingDocs.values(http.get("/kv/full", "Accept", "application/json").json()).contains("fresh"));
  }

  private double meter(String name) {
    String text = http.get("/metrics").text();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
    assertTrue(m.find(), name + " is not on /metrics");
    double value = Double.parseDouble(m.group(2));
    assertFalse(m.find(), "one series of " + name);
    return value;
  }
}
