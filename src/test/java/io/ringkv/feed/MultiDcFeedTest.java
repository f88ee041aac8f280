package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two DCs of one node each: a subscriber in either DC gets exactly one event for every write
 * coordinated in the other, once it is stored in its own DC (the relay publishes it there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiDcFeedTest {
  TestCluster cluster;
  Vertx clientVertx;
  WebSocketClient client;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    cluster = TestCluster.startEach(2, dataDir, Map.of("replication", "dc1:1,dc2:1", "r", "1", "w", "1"),
        i -> Map.of("dc", "dc" + i));
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
  void eachDcsSubscribersGetOneEventPerWriteOfEitherDc() throws Exception {
    try (FeedSocket inDc1 = FeedSocket.connect(client, cluster.node(1).httpPort());
        FeedSocket inDc2 = FeedSocket.connect(client, cluster.node(2).httpPort())) {
      inDc1.subscribePrefix("x/");
      inDc2.subscribePrefix("x/");
      HttpProbe n1 = cluster.http(1);
      HttpProbe n2 = cluster.http(2);
      assertEquals(204, n1.put("/kv/x%2Fa", "from-dc1").status());
      assertEquals(204, n2.put("/kv/x%2Fb", "from-dc2").status());
      for (FeedSocket s : new FeedSocket[] {inDc1, inDc2}) {
        JsonObject first = s.next("update");
        JsonObject second = s.next("update");
        assertEquals(Set.of("x/a", "x/b"), Set.of(first.getString("key"), second.getString("key")));
        s.assertNothingWithin(500);
      }
    }
  }
}
