package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringkv.metrics.StoreMetrics;
import io.ringkv.testing.TestCluster;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed over TLS (wss://): the socket is taken over from Vert.x after Netty's SslHandler, so
 * everything the feed writes itself (event frames written as ready-made bytes, pongs, close
 * frames) must still be encrypted on its way out. The client's TLS layer would reject a single
 * plain byte, so each frame it decodes proves that. The feed is mounted as the node mounts it, on
 * an HTTP server of the test's own (the node has no TLS option).
 */
class FeedTlsTest {
  private static final SelfSignedCertificate CERT = SelfSignedCertificate.create();

  private final FeedMeters meters = FeedMeters.of(StoreMetrics.inMemory());
  private Vertx vertx;
  private Vertx clientVertx;
  /** Held in a field: Vert.x closes clients nothing refers to. */
  private WebSocketClient client;
  private int port;

  /** One HTTP instance with the feed mounted, as HttpApiVerticle's extra routes do, on a TLS server. */
  private final class TlsFeedServer extends VerticleBase {
    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      FeedRoutes.mount(vertx, router, meters);
      HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true)
          .setMaxWebSocketFrameSize(1 << 20).setSsl(true).setKeyCertOptions(CERT.keyCertOptions());
      return vertx.createHttpServer(options).requestHandler(router).listen()
          .onSuccess(server -> port = server.actualPort());
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    vertx.deployVerticle(new TlsFeedServer()).await(10, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(CERT.trustOptions()).setVerifyHost(false));
  }

  @AfterEach
  void stop() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void deleteCertificate() {
    CERT.delete();
  }

  @Test
  void subscriberGetsEventsPongsAndTheClosingHandshakeOverTls() throws Exception {
    FeedPublisher publisher = new FeedPublisher(vertx);
    try (FeedSocket feed = FeedSocket.connect(client, port)) {
      assertEquals("tls/", feed.subscribePrefix("tls/").getString("prefix"));
      publisher.written(bytes("tls/a"), oneValue("over wss"), "n1");
      JsonObject update = feed.next("update");
      assertEquals("tls/a", update.getString("key"));
      assertEquals("over wss", update.getJsonArray("siblings").getJsonObject(0).getString("value"));

      // Larger than one TLS record (16 KiB), under the client's frame limit (64 KiB): the SslHandler splits it.
      String big = "x".repeat(40_000);
      publisher.written(bytes("tls/big"), oneValue(big), "n1");
      publisher.written(bytes("other/c"), oneValue("not subscribed"), "n1");
      publisher.written(bytes("tls/after"), oneValue("in order"), "n1");
      assertEquals(big, feed.next("update").getJsonArray("siblings").getJsonObject(0).getString("value"));
      assertEquals("tls/after", feed.next("update").getString("key"));

      CompletableFuture<Buffer> pong = new CompletableFuture<>();
      feed.ws.pongHandler(pong::complete);
      feed.ws.writePing(Buffer.buffer("still there?"));
      assertEquals("still there?", pong.get(10, TimeUnit.SECONDS).toString());

      feed.ws.close((short) 1000, "done").await(10, TimeUnit.SECONDS);
      assertEquals((short) 1000, feed.ws.closeStatusCode(), "the server echoed the close over TLS");
    }
    TestCluster.await(10, "the closed subscriber is forgotten", () -> meters.subscribers.get() == 0);
  }

  @Test
  void stoppingTheServerClosesTlsSubscribersWithGoingAway() throws Exception {
    FeedSocket feed = FeedSocket.connect(client, port);
    feed.subscribePrefix("");
    CompletableFuture<Short> closedWith = new CompletableFuture<>();
    feed.ws.closeHandler(v -> closedWith.complete(feed.ws.closeStatusCode()));
    vertx.close().await(20, TimeUnit.SECONDS);
    assertEquals((short) 1001, closedWith.get(10, TimeUnit.SECONDS));
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static SiblingSet oneValue(String value) {
    return SiblingSet.of(List.of(FeedEventTest.version("n1", 1, value, false)));
  }
}
