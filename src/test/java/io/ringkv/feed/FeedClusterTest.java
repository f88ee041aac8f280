package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Subscribers on n1 and n3, writes through n2: every node's subscribers see every node's writes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedClusterTest {
  TestCluster cluster;
  Vertx clientVertx;
  WebSocketClient client;
  HttpProbe n2;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    cluster = TestCluster.start(3, dataDir, Map.of());
    n2 = new HttpProbe(cluster.node(2).httpPort());
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
  }

  @AfterAll
  void stop() throws Exception {
    if (clientVertx != null) {
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void subscribersOnOtherNodesGetEveryUpdateInOrder() throws Exception {
    try (FeedSocket on1 = FeedSocket.connect(client, cluster.node(1).httpPort());
        FeedSocket on3 = FeedSocket.connect(client, cluster.node(3).httpPort())) {
      on1.subscribePrefix("feed/");
      on3.subscribePrefix("feed/");
      String context = null;
      for (int i = 0; i < 50; i++) {
        HttpProbe.Reply r = context == null ? n2.put("/kv/feed%2Forder", "v" + i)
            : n2.put("/kv/feed%2Forder", "v" + i, "X-Context", context);
        assertEquals(204, r.status(), r.toString());
        context = r.header("X-Context");
      }
      for (FeedSocket s : List.of(on1, on3)) {
        for (int i = 0; i < 50; i++) {
          JsonObject e = s.next("update");
          assertEquals("feed/order", e.getString("key"));
          assertEquals("n2", e.getString("coordinator"));
          assertEquals(1, e.getJsonArray("siblings").size());
          assertEquals("v" + i, e.getJsonArray("siblings").getJsonObject(0).getString("value"));
        }
        s.assertNothingWithin(200);
      }
    }
  }

  @Test
  void concurrentBlindWritesShowAConflictAndTheWriteBackResolvesIt() throws Exception {
    try (FeedSocket on1 = FeedSocket.connect(client, cluster.node(1).httpPort());
        FeedSocket on3 = FeedSocket.connect(client, cluster.node(3).httpPort())) {
      on1.send("{\"type\":\"subscribe\",\"keys\":[\"feed/conflict\"]}");
      on1.next("subscribed");
      on3.subscribePrefix("feed/conflict");
      CompletableFuture<HttpProbe.Reply> a = CompletableFuture.supplyAsync(() -> n2.put("/kv/feed%2Fconflict", "left"));
      CompletableFuture<HttpProbe.Reply> b = CompletableFuture.supplyAsync(() -> n2.put("/kv/feed%2Fconflict", "right"));
      assertEquals(204, a.get(30, TimeUnit.SECONDS).status());
      assertEquals(204, b.get(30, TimeUnit.SECONDS).status());
      String conflictContext = null;
      for (FeedSocket s : List.of(on1, on3)) {
        // Two events, one per write. The first acknowledged write may already show both siblings
        // (both writes can reach the coordinating replica before either is acknowledged).
        // Either event may be the one that shows both (their sets depend on which write reached
        // the coordinating replica first, their order on which was acknowledged first).
        JsonObject conflict = null;
        for (JsonObject e : List.of(s.next(), s.next())) {
          Set<String> values = new HashSet<>();
          for (Object sibling : e.getJsonArray("siblings")) {
            values.add(((JsonObject) sibling).getString("value"));
          }
          if (values.equals(Set.of("left", "right"))) {
            assertEquals("conflict", e.getString("type"));
            conflict = e;
          } else {
            assertEquals("update", e.getString("type"), e.encode());
          }
        }
        assertNotNull(conflict, "a conflict event with both siblings");
        conflictContext = conflict.getString("context");
      }
      assertEquals(204, n2.put("/kv/feed%2Fconflict", "merged", "X-Context", conflictContext).status());
      for (FeedSocket s : List.of(on1, on3)) {
        JsonObject resolved = s.next("update");
        JsonArray siblings = resolved.getJsonArray("siblings");
        assertEquals(1, siblings.size());
        assertEquals("merged", siblings.getJsonObject(0).getString("value"));
        s.assertNothingWithin(200);
      }
    }
  }
}
