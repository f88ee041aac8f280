package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import static io.ringkv.testing.SiblingDocs.values;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every row of API.md's data table against one real node (LevelDB, N=1). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractTest {
  static final int LIMIT = 64 * 1024;

  RingkvNode node;
  HttpProbe http;

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
  void antiEntropyStatusAndPassOnASingleNode() {
    assertEquals(204, http.put("/kv/ae-single", "x").status());
    JsonObject status = io.ringkv.testing.AntiEntropyProbe.runPass(http, 30);
    assertFalse(status.getBoolean("running"));
    assertNotNull(status.getLong("lastPassStartedMs"));
    for (String field : new String[] {"keysSent", "keysReceived", "bytesExchanged"}) {
      assertEquals(0, status.getJsonObject("totals").getLong(field), field + ": no peer to talk to");
    }
    JsonArray partitions = status.getJsonArray("partitions");
    assertEquals(256, partitions.size(), "N=1: every partition is this node's");
    JsonObject first = partitions.getJsonObject(0);
    for (String field : new String[] {"partition", "peers", "lastSyncMs", "keysSent", "keysReceived",
        "bytesExchanged", "root"}) {
      assertTrue(first.containsKey(field), field + " in " + first);
    }
    assertTrue(first.getString("root").matches("[0-9a-f]{16}"), first.getString("root"));
    long keys = partitions.stream().mapToLong(p -> ((JsonObject) p).getLong("keys")).sum();
    assertTrue(keys >= 1, "the trees count the key written");
    assertEquals(16, status.getJsonObject("trees").getInteger("fanout"));
    Reply wrongMethod = http.send("DELETE", "/cluster/antientropy", null);
    assertEquals(405, wrongMethod.status());
    assertEquals("GET", wrongMethod.header("Allow"));
    assertEquals(405, http.get("/cluster/antientropy/run").status());
    JsonArray nodes = http.get("/cluster/antientropy/nodes").json().getJsonArray("nodes");
    assertEquals("n1", nodes.getJsonObject(0).getString("id"));
    assertTrue(nodes.getJsonObject(0).getLong("passes") >= 1);
  }

  @Test
  void faultEndpointsAre404WithoutFaultInjectionAndHintsShowNothingPending() {
    for (String method : new String[] {"GET", "POST", "DELETE"}) {
      Reply r = http.send(method, "/cluster/faults", "{\"drop\": [\"n2\"]}".getBytes(StandardCharsets.UTF_8));
      assertEquals(404, r.status(), method);
      assertEquals("not_found", r.json().getString("error"));
    }
    JsonObject hints = http.get("/cluster/hints").json();
    assertEquals(new JsonObject().put("pending", new JsonObject()).put("pendingBytes", 0).put("delivered", 0)
        .put("dropped", 0), hints);
  }

  @Test
  void missingKeyIs404WithJsonError() {
    Reply r = http.get("/kv/never-written");
    assertEquals(404, r.status());
    assertEquals("not_found", r.json().getString("error"));
    assertNotNull(r.json().getString("message"));
    assertNull(r.header("X-Context"), "no tombstones, so no context");
  }

  @Test
  void putThenGetReturnsTheRawValueWithHeaders() {
    Reply put = http.put("/kv/greeting", "hello", "Content-Type", "text/plain; charset=utf-8");
    assertEquals(204, put.status());
    String context = put.header("X-Context");
    assertTrue(context.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + context);

    Reply get = http.get("/kv/greeting");
    assertEquals(200, get.status());
    assertEquals("hello", get.text());
    assertEquals("text/plain; charset=utf-8", get.header("Content-Type"));
    assertNotNull(get.header("X-Context"));
    assertNotNull(get.header("ETag"));
    assertNotNull(get.header("Last-Modified"));
  }

  @Test
  void acceptJsonReturnsASingleSiblingDocument() {
    http.put("/kv/doc", "v1", "Content-Type", "text/plain");
    Reply get = http.get("/kv/doc", "Accept", "application/json");
    assertEquals(200, get.status());
    JsonObject doc = get.json();
    assertEquals("doc", doc.getString("key"));
    assertEquals(get.header("X-Context"), doc.getString("context"));
    JsonArray siblings = doc.getJsonArray("siblings");
    assertEquals(1, siblings.size());
    JsonObject s = siblings.getJsonObject(0);
    assertEquals("v1", s.getString("value"));
    assertEquals("utf8", s.getString("encoding"));
    assertEquals("text/plain", s.getString("contentType"));
    assertFalse(s.getBoolean("deleted"));
    assertTrue(s.getLong("timestamp") > 1_600_000_000_000L);
    assertEquals(1, s.getJsonObject("clock").size());
  }

  @Test
  void binaryValuesRoundTripAndAreBase64InDocuments() {
    byte[] value = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
    assertEquals(204, http.put("/kv/binary", value).status());
    Reply raw = http.get("/kv/binary");
    assertArrayEquals(value, raw.body());
    assertEquals("application/octet-stream", raw.header("Content-Type"));
    JsonObject s = http.get("/kv/binary", "Accept", "application/json").json().getJsonArray("siblings").getJsonObject(0);
    assertEquals("base64", s.getString("encoding"));
    assertArrayEquals(value, Base64.getDecoder().decode(s.getString("value")));
  }

  @Test
  void emptyValueIsAValue() {
    assertEquals(204, http.put("/kv/empty", new byte[0]).status());
    Reply get = http.get("/kv/empty");
    assertEquals(200, get.status());
    assertEquals(0, get.body().length);
  }

  @Test
  void concurrentBlindWritesBecomeSiblingsAndAContextWriteResolvesThem() throws Exception {
    CompletableFuture<Reply> a = CompletableFuture.supplyAsync(() -> http.put("/kv/conflict", "from-a"));
    CompletableFuture<Reply> b = CompletableFuture.supplyAsync(() -> http.put("/kv/conflict", "from-b"));
    assertEquals(204, a.get().status());
    assertEquals(204, b.get().status());

    Reply siblings = http.get("/kv/conflict");
    assertEquals(300, siblings.status());
    assertEquals("application/json", siblings.header("Content-Type"));
    JsonObject doc = siblings.json();
    assertEquals(siblings.header("X-Context"), doc.getString("context"));
    assertEquals(Set.of("from-a", "from-b"), values(doc));

    Reply merge = http.put("/kv/conflict", "merged", "X-Context", doc.getString("context"));
    assertEquals(204, merge.status());
    Reply after = http.get("/kv/conflict");
    assertEquals(200, after.status());
    assertEquals("merged", after.text());
  }

  @Test
  void aWriteWithAnOldContextKeepsTheNewerConcurrentValue() {
    Reply first = http.put("/kv/stale", "one");
    String oldContext = first.header("X-Context");
    http.put("/kv/stale", "two", "X-Context", oldContext);
    http.put("/kv/stale", "three", "X-Context", oldContext);
    Reply get = http.get("/kv/stale");
    assertEquals(300, get.status());
    assertEquals(Set.of("two", "three"), values(get.json()));
  }

  /**
   * A client that writes again and again with the X-Context of its previous 204, never reading,
   * while another client's blind write is a sibling: each write replaces only the client's own
   * previous one. The other sibling is never lost, and siblings do not pile up.
   */
  @Test
  void writingAgainWithEach204sContextReplacesOnlyTheWritersOwnValue() {
    assertEquals(204, http.put("/kv/again", "other client").status());
    String context = http.put("/kv/again", "mine 0").header("X-Context");
    for (int i = 1; i <= 20; i++) {
      Reply put = http.put("/kv/again", "mine " + i, "X-Context", context);
      assertEquals(204, put.status());
      context = put.header("X-Context");
    }
    Reply get = http.get("/kv/again");
    assertEquals(300, get.status());
    assertEquals(Set.of("other client", "mine 20"), values(get.json()));
  }

  @Test
  void returnBodyAnswersWithTheSiblingDocument() {
    Reply single = http.put("/kv/rb?returnbody=true", "x", "Content-Type", "text/plain");
    assertEquals(200, single.status());
    assertEquals(Set.of("x"), values(single.json()));
    assertEquals(single.header("X-Context"), single.json().getString("context"));
    Reply both = http.put("/kv/rb?returnbody=true", "y");
    assertEquals(300, both.status());
    assertEquals(Set.of("x", "y"), values(both.json()));
  }

  @Test
  void deleteWritesATombstone() {
    http.put("/kv/to-delete", "bye");
    Reply del = http.delete("/kv/to-delete");
    assertEquals(204, del.status());
    Reply get = http.get("/kv/to-delete");
    assertEquals(404, get.status());
    assertEquals("not_found", get.json().getString("error"));
    assertNotNull(get.header("X-Context"), "tombstones exist, so a context is returned");
    // Deleting a missing key is not an error.
    assertEquals(204, http.delete("/kv/never-existed").status());
  }

  @Test
  void aTombstoneConcurrentWithAValueIsListedAsDeletedSibling() {
    Reply first = http.put("/kv/del-conflict", "v1");
    String seen = first.header("X-Context");
    http.put("/kv/del-conflict", "v2");
    assertEquals(204, http.delete("/kv/del-conflict", "X-Context", seen).status());
    Reply get = http.get("/kv/del-conflict");
    assertEquals(300, get.status());
    JsonArray siblings = get.json().getJsonArray("siblings");
    assertEquals(2, siblings.size());
    long deleted = siblings.stream().map(JsonObject.class::cast).filter(s -> s.getBoolean("deleted")).count();
    assertEquals(1, deleted);
  }

  @Test
  void keysWithSlashesSpacesAndNonAsciiRoundTripExactly() {
    String[][] cases = {
        {"user%2F42", "user/42"}, {"a%20b", "a b"}, {"caf%C3%A9", "café"}, {"%2E%2E", ".."},
        {"a+b", "a+b"}, {"%E2%9C%93%2F%F0%9F%98%80", "✓/😀"}, {"semi%3Bcolon%3Fq%23h", "semi;colon?q#h"}};
    for (String[] c : cases) {
      assertEquals(204, http.put("/kv/" + c[0], c[1], "Content-Type", "text/plain").status(), c[1]);
      Reply get = http.get("/kv/" + c[0], "Accept", "application/json");
      assertEquals(200, get.status(), c[1]);
      assertEquals(c[1], get.json().getString("key"));
      assertEquals(c[1], values(get.json()).iterator().next());
    }
    assertEquals("a b", http.get("/kv/a%20b").text());
  }

  @Test
  void keyOfExactly1024BytesIsAccepted() {
    String key = "k".repeat(1024);
    assertEquals(204, http.put("/kv/" + key, "max").status());
    assertEquals("max", http.get("/kv/" + key).text());
  }

  @Test
  void valueAtTheLimitIsAcceptedAndAboveIs413() {
    byte[] atLimit = new byte[LIMIT];
    atLimit[LIMIT - 1] = 7;
    assertEquals(204, http.put("/kv/big", atLimit).status());
    Reply tooBig = http.put("/kv/big", new byte[LIMIT + 1]);
    assertEquals(413, tooBig.status());
    assertEquals("too_large", tooBig.json().getString("error"));
    assertEquals(LIMIT, tooBig.json().getInteger("limit"));
    assertArrayEquals(atLimit, http.get("/kv/big").body(), "the oversize write changed nothing");
  }

  @Test
  void healthReadyAndMetrics() {
    assertEquals("UP", http.get("/health").json().getString("status"));
    assertEquals(200, http.get("/ready").status());
    http.put("/kv/metered", "m");
    http.get("/kv/metered");
    Reply metrics = http.get("/metrics");
    assertEquals(200, metrics.status());
    String text = metrics.text();
    assertTrue(text.contains("ringkv_requests_total{op=\"put\",status=\"204\"}"), "store meters exported");
    assertTrue(text.contains("ringkv_quorum_latency_seconds_bucket"), "quorum latency histogram exported");
    assertTrue(text.contains("jvm_memory_used_bytes"), "JVM meters exported");
    assertFalse(text.contains("vertx_http_server_requests_total"), "Vert.x's per-request HTTP meters are off by default");
  }

  @Test
  void unknownEndpointIs404Json() {
    Reply r = http.get("/no/such/thing");
    assertEquals(404, r.status());
    assertEquals("not_found", r.json().getString("error"));
  }

  @Test
  void clusterViewOfASingleNode() {
    JsonObject cluster = http.get("/cluster").json();
    assertEquals("n1", cluster.getString("self"));
    assertEquals(1, cluster.getJsonArray("nodes").size());
    assertEquals("up", cluster.getJsonArray("nodes").getJsonObject(0).getString("status"));
    assertEquals(256, cluster.getJsonObject("ring").getInteger("partitions"));
    assertEquals(256, cluster.getJsonObject("ring").getJsonObject("owners").getInteger("n1"));
    JsonObject pref = http.get("/cluster/preference/user%2F42").json();
    assertEquals("user/42", pref.getString("key"));
    assertEquals(new JsonArray().add("n1"), pref.getJsonArray("replicas"));
  }
}
