package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The feed protocol against one real node (two HTTP instances, so two hubs). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedSingleNodeTest {
  RingkvNode node;
  HttpProbe http;
  Vertx clientVertx;
  WebSocketClient client;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    // Vert.x's own HTTP meters on, so the test below can check that they see no leftover sockets.
    node = TestNodes.startSingle("n1", dataDir, Map.of("http-request-metrics", "true"));
    http = new HttpProbe(node.httpPort());
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
  }

  /**
   * A client's close reaches the node a little later: wait until every socket of the test that
   * ended has left, so the next test's "before" counts are exact (a late close had made one test
   * wait for a count it could never see again).
   */
  @AfterEach
  void everySubscriberLeft() {
    TestCluster.await(10, "the test's feed sockets are forgotten", () -> metric("ringkv_feed_subscribers") == 0);
  }

  @AfterAll
  void stop() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  @Test
  void keySubscriptionGetsUpdatesAndDeletesOncePerWrite() throws Exception {
    try (FeedSocket feed = FeedSocket.connect(client, node.httpPort())) {
      feed.send("{\"type\":\"subscribe\",\"keys\":[\"k/one\",\"k/two\"]}");
      JsonObject subscribed = feed.next("subscribed");
      assertEquals(new JsonArray().add("k/one").add("k/two"), subscribed.getJsonArray("keys"));
      assertNull(subscribed.getValue("prefix"));
      assertTrue(subscribed.containsKey("prefix"), "prefix is present, as null");
      JsonObject byPrefix = feed.subscribePrefix("k/");
      assertEquals(new JsonArray(), byPrefix.getJsonArray("keys"));
      assertEquals("k/", byPrefix.getString("prefix"));

      assertEquals(204, http.put("/kv/k%2Fone", "v1", "Content-Type", "text/plain").status());
      JsonObject update = feed.next("update");
      assertEquals("k/one", update.getString("key"));
      assertEquals("n1", update.getString("coordinator"));
      JsonObject sibling = update.getJsonArray("siblings").getJsonObject(0);
      assertEquals("v1", sibling.getString("value"));
      assertEquals("text/plain", sibling.getString("contentType"));
      assertEquals(http.get("/kv/k%2Fone").header("X-Context"), update.getString("context"));

      assertEquals(204, http.delete("/kv/k%2Fone").status());
      JsonObject deleted = feed.next("update");
      assertEquals(1, deleted.getJsonArray("siblings").size());
      assertEquals(true, deleted.getJsonArray("siblings").getJsonObject(0).getBoolean("deleted"));
      feed.assertNothingWithin(300);
    }
  }

  @Test
  void malformedMessagesGetErrorsAndTheConnectionKeepsWorking() throws Exception {
    try (FeedSocket feed = FeedSocket.connect(client, node.httpPort())) {
      for (String bad : List.of("not json", "{\"type\":\"bogus\",\"keys\":[\"a\"]}",
          "{\"type\":\"subscribe\",\"keys\":[1,2]}", "{\"type\":\"subscribe\"}", "{\"keys\":[\"a\"]}", "[1]")) {
        feed.send(bad);
        JsonObject error = feed.next("error");
        assertTrue(error.getString("message").length() > 0, bad);
      }
      feed.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
      assertTrue(feed.next("error").getString("message").contains("binary"));
      // 100 KB in three frames of ~34 KB (each under the server's frame limit): refused as a whole.
      String big = "{\"type\":\"subscribe\",\"prefix\":\"" + "x".repeat(100_000) + "\"}";
      feed.ws.writeFrame(WebSocketFrame.textFrame(big.substring(0, 34_000), false));
      feed.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(big.substring(34_000, 68_000)), false));
      feed.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(big.substring(68_000)), true));
      assertTrue(feed.next("error").getString("message").contains("larger than"));
      // A fragmented but small message is fine.
      String ok = "{\"type\":\"subscribe\",\"prefix\":\"bad/\"}";
      feed.ws.writeFrame(WebSocketFrame.textFrame(ok.substring(0, 10), false));
      feed.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(ok.substring(10)), true));
      assertEquals("bad/", feed.next("subscribed").getString("prefix"));
      http.put("/kv/bad%2Fstill-works", "yes");
      assertEquals("bad/still-works", feed.next("update").getString("key"));
    }
  }

  @Test
  void limitsAreEnforcedWithAnErrorFrame() {
    try (FeedSocket feed = FeedSocket.connect(client, node.httpPort())) {
      JsonArray keys = new JsonArray();
      for (int i = 0; i <= FeedLimits.DEFAULT_MAX_KEYS; i++) {
        keys.add("lim/" + i);
      }
      feed.send(new JsonObject().put("type", "subscribe").put("keys", keys).encode());
      assertTrue(feed.next("error").getString("message").contains("too many keys"));
      for (int i = 0; i < FeedLimits.DEFAULT_MAX_PREFIXES; i++) {
        feed.subscribePrefix("p" + i + "/");
      }
      feed.send("{\"type\":\"subscribe\",\"prefix\":\"one-too-many/\"}");
      assertTrue(feed.next("error").getString("message").contains("too many prefixes"));
    }
  }

  /**
   * The feed answers the WebSocket protocol itself once Vert.x has handed the socket over:
   * fragmented messages, ping/pong and the closing handshake; closed sockets leave no trace in
   * the feed's meter or in Vert.x's own WebSocket meter.
   */
  @Test
  void fragmentsPingsAndTheClosingHandshakeWork() throws Exception {
    double feedBefore = metric("ringkv_feed_subscribers");
    double indexedBefore = metric("ringkv_feed_indexed_keys");
    double vertxBefore = metric("vertx_http_server_active_ws_connections");
    for (int round = 0; round < 3; round++) {
      FeedSocket feed = FeedSocket.connect(client, node.httpPort());
      feed.ws.writeFrame(WebSocketFrame.textFrame("{\"type\":\"subscr", false));
      feed.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ibe\",\"keys\":[\"frag/" + round + "\"]}"), true));
      assertEquals(List.of("frag/" + round), feed.next("subscribed").getJsonArray("keys").getList());
      java.util.concurrent.CompletableFuture<Buffer> pong = new java.util.concurrent.CompletableFuture<>();
      feed.ws.pongHandler(pong::complete);
      feed.ws.writePing(Buffer.buffer("are you there " + round));
      assertEquals("are you there " + round, pong.get(10, TimeUnit.SECONDS).toString());
      http.put("/kv/frag%2F" + round, "v" + round);
      assertEquals("v" + round, feed.next("update").getJsonArray("siblings").getJsonObject(0).getString("value"));
      // The client's close completes when the server's close frame comes back.
      feed.ws.close((short) 1000, "done").await(10, TimeUnit.SECONDS);
      assertEquals((short) 1000, feed.ws.closeStatusCode());
    }
    TestCluster.await(10, "closed subscribers are forgotten",
        () -> metric("ringkv_feed_subscribers") == feedBefore);
    assertEquals(indexedBefore, metric("ringkv_feed_indexed_keys"), "their keys left the subscription index");
    assertEquals(vertxBefore, metric("vertx_http_server_active_ws_connections"));
  }

  /** A frame that breaks RFC 6455 (a client frame without a mask) closes that socket with 1002. */
  @Test
  void protocolViolationsCloseTheSocketWithAProtocolError() throws Exception {
    double before = metric("ringkv_feed_subscribers");
    try (RawFeedSocket raw = new RawFeedSocket(node.httpPort())) {
      raw.sendText("{\"type\":\"subscribe\",\"keys\":[\"pv\"]}");
      assertEquals("subscribed", raw.read().getString("type"));
      byte[] unmasked = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      raw.sendRaw(new byte[] {(byte) 0x81, (byte) unmasked.length, unmasked[0], unmasked[1]});
      assertEquals(1002, raw.readCloseCode());
    }
    TestCluster.await(10, "the broken socket is forgotten", () -> metric("ringkv_feed_subscribers") == before);
  }

  /** A node that stops says goodbye to its subscribers (1001, going away) instead of just dropping them. */
  @Test
  void stoppingTheNodeClosesFeedsWithGoingAway(@TempDir Path otherDir) throws Exception {
    RingkvNode other = TestNodes.startSingle("n2", otherDir, Map.of());
    try (RawFeedSocket raw = new RawFeedSocket(other.httpPort())) {
      raw.sendText("{\"type\":\"subscribe\",\"prefix\":\"\"}");
      assertEquals("subscribed", raw.read().getString("type"));
      TestNodes.stop(other);
      assertEquals(1001, raw.readCloseCode());
    }
  }

  @Test
  void unsubscribeStopsEvents() {
    try (FeedSocket feed = FeedSocket.connect(client, node.httpPort())) {
      feed.send("{\"type\":\"subscribe\",\"keys\":[\"u/1\",\"u/2\"]}");
      feed.next("subscribed");
      feed.subscribePrefix("u/");
      feed.send("{\"type\":\"unsubscribe\",\"keys\":[\"u/1\"]}");
      feed.send("{\"type\":\"unsubscribe\",\"prefix\":\"u/\"}");
      feed.send("{\"type\":\"subscribe\",\"keys\":[\"u/2\"]}"); // a barrier: its reply proves the above were handled
      assertEquals(new JsonArray(), feed.next("subscribed").getJsonArray("keys"));
      http.put("/kv/u%2F1", "not for us");
      http.put("/kv/u%2F3", "not for us either");
      http.put("/kv/u%2F2", "for us");
      assertEquals("u/2", feed.next("update").getString("key"), "u/1 and u/3 were not delivered");
    }
  }

  @Test
  void plainGetWithoutUpgradeIs400() {
    assertEquals(400, http.get("/feed").status());
  }

  /**
   * A subscriber that never reads: its queue stays bounded, writes keep their speed, the other
   * subscriber gets everything, and once it reads again it learns how many events it lost.
   */
  @Test
  void slowSubscriberIsBoundedAndToldWhatItLost() throws Exception {
    String value = "v".repeat(16 * 1024);
    try (FeedSocket fast = FeedSocket.connect(client, node.httpPort())) {
      fast.subscribePrefix("slow/");
      int baselineWrites = 300;
      long baselineNanos = writes(baselineWrites, "slow/base-", value);
      for (int i = 0; i < baselineWrites; i++) {
        fast.next("update");
      }
      try (RawFeedSocket slow = new RawFeedSocket(node.httpPort())) {
        slow.sendText("{\"type\":\"subscribe\",\"prefix\":\"slow/\"}");
        assertEquals("subscribed", slow.read().getString("type"));
        int n = 2500;
        long slowNanos = writes(n, "slow/k-", value);
        double baseMs = baselineNanos / 1e6 / baselineWrites;
        double withSlowMs = slowNanos / 1e6 / n;
        System.out.printf("feed slow-subscriber test: mean write %.2f ms without, %.2f ms with a never-reading "
            + "subscriber%n", baseMs, withSlowMs);
        assertTrue(withSlowMs < 3 * baseMs + 5, "writes slowed down: " + baseMs + " -> " + withSlowMs + " ms");
        for (int i = 0; i < n; i++) {
          assertEquals("slow/k-" + i, fast.next("update").getString("key"), "the fast subscriber gets all, in order");
        }
        long events = 0;
        long dropped = 0;
        while (events + dropped < n) {
          JsonObject m = slow.read();
          if (m.getString("type").equals("error")) {
            assertTrue(m.getString("message").contains("dropped"), m.encode());
            dropped += m.getLong("dropped");
          } else {
            assertEquals("update", m.getString("type"));
            events++;
          }
        }
        System.out.printf("feed slow-subscriber test: slow subscriber got %d events, %d dropped%n", events, dropped);
        assertTrue(dropped > 0, "the queue must have overflowed");
        assertTrue(events >= FeedLimits.DEFAULT_QUEUE_EVENTS, "the bounded queue was delivered: " + events);
        assertEquals(n, events + dropped, "every event is either delivered or counted as dropped");
        assertTrue(metric("ringkv_feed_events_dropped_total") >= dropped);
        assertTrue(metric("ringkv_feed_subscribers") >= 2);
      }
    }
  }

  /**
   * Subscribers that vanish (one mid-stream, one while its socket is backed up with frames the
   * hub wrote straight to the channel) cost the others nothing, and the node forgets them.
   */
  @Test
  void vanishingSubscribersDoNotDisturbTheOthers() throws Exception {
    String value = "v".repeat(16 * 1024);
    try (FeedSocket stays = FeedSocket.connect(client, node.httpPort())) {
      stays.subscribePrefix("gone/");
      double subscribersBefore = metric("ringkv_feed_subscribers");
      double indexedBefore = metric("ringkv_feed_indexed_keys");
      RawFeedSocket midStream = new RawFeedSocket(node.httpPort());
      RawFeedSocket backedUp = new RawFeedSocket(node.httpPort());
      int own = 0;
      for (RawFeedSocket s : List.of(midStream, backedUp)) {
        // A key of its own too: the index must forget it when the socket goes, however it goes.
        s.sendText("{\"type\":\"subscribe\",\"prefix\":\"gone/\",\"keys\":[\"gone-only-" + own++ + "\"]}");
        assertEquals("subscribed", s.read().getString("type"));
      }
      // Two own keys, plus "gone/" once more if they landed on the other HTTP instance's hub.
      double indexedWith = metric("ringkv_feed_indexed_keys");
      assertTrue(indexedWith == indexedBefore + 2 || indexedWith == indexedBefore + 3, "indexed: " + indexedWith);
      int n = 300;
      writes(n, "gone/a-", value); // 4.8 MB of events: more than backedUp's socket buffers take
      for (int i = 0; i < 10; i++) {
        assertEquals("gone/a-" + i, midStream.read().getString("key"));
      }
      midStream.close();
      backedUp.close();
      writes(n, "gone/b-", value);
      for (String batch : List.of("gone/a-", "gone/b-")) {
        for (int i = 0; i < n; i++) {
          assertEquals(batch + i, stays.next("update").getString("key"), "the remaining subscriber gets all, in order");
        }
      }
      TestCluster.await(10, "closed subscribers are forgotten",
          () -> metric("ringkv_feed_subscribers") == subscribersBefore
              && metric("ringkv_feed_indexed_keys") == indexedBefore);
    }
  }

  private long writes(int count, String keyPrefix, String value) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      assertEquals(204, http.put("/kv/" + keyPrefix.replace("/", "%2F") + i, value).status());
    }
    return System.nanoTime() - start;
  }

  private double metric(String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(http.get("/metrics").text());
    List<Double> values = new ArrayList<>();
    while (m.find()) {
      values.add(Double.parseDouble(m.group(2)));
    }
    assertTrue(!values.isEmpty(), "metric " + name + " missing");
    return values.stream().mapToDouble(Double::doubleValue).sum();
  }
}
