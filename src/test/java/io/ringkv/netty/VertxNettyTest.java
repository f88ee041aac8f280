package io.ringkv.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link VertxNetty} relies on in Vert.x, checked against the Vert.x on the classpath with a
 * real HTTP server and real WebSocket clients, over plain TCP and over TLS. A Vert.x upgrade that
 * changes any of it fails here first.
 */
class VertxNettyTest {
  private static final SelfSignedCertificate CERT = SelfSignedCertificate.create();

  private final VertxConnectionCounts vertxCounts = new VertxConnectionCounts();
  private Vertx serverVertx;
  private Vertx clientVertx;
  /** Held in a field: Vert.x closes clients nothing refers to. */
  private WebSocketClient client;
  private final LinkedBlockingQueue<TakenOver> accepted = new LinkedBlockingQueue<>();

  /** One accepted WebSocket, as the server saw it around the take-over. */
  private record TakenOver(Channel channel, List<String> handlersBefore, EchoHandler handler,
      CompletableFuture<Void> vertxSawClose, boolean activeRightAfter, boolean handlerInactiveRightAfter,
      int vertxSocketsBefore, int vertxWebSocketsBefore) {}

  @BeforeEach
  void start() {
    serverVertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)))
        .withMetrics(vertxCounts).build();
    clientVertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    serverVertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void deleteCertificate() {
    CERT.delete();
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void takenOverSocketCarriesFramesBothWaysAndVertxLetsGo(boolean tls) throws Exception {
    HttpServer server = startServer(tls);
    CompletableFuture<String> echoed = new CompletableFuture<>();
    WebSocket ws = connect(server, tls);
    ws.textMessageHandler(echoed::complete);
    TakenOver t = accepted.poll(10, TimeUnit.SECONDS);

    InetSocketAddress peer = (InetSocketAddress) t.channel().remoteAddress();
    assertEquals(ws.localAddress().port(), peer.getPort(), "channelOf gives the upgraded socket itself");
    List<String> vertxHandlers = t.handlersBefore().stream().filter(c -> c.startsWith("io.vertx.")).toList();
    assertEquals(1, vertxHandlers.size(), "one Vert.x handler on the upgraded socket: " + t.handlersBefore());
    assertEquals(vertxHandlers.get(0), t.handlersBefore().get(t.handlersBefore().size() - 1),
        "Vert.x's handler ends the pipeline: " + t.handlersBefore());

    List<String> after = handlerClasses(t.channel());
    assertTrue(after.stream().noneMatch(c -> c.startsWith("io.vertx.")), "Vert.x's handler is gone: " + after);
    assertEquals(EchoHandler.class.getName(), after.get(after.size() - 1), "the new handler ends the pipeline");
    if (tls) {
      assertEquals(SslHandler.class.getName(), after.get(0),
          "with TLS, every write of the new handler still goes out through the SslHandler: " + after);
    }

    assertEquals(1, t.vertxSocketsBefore(), "Vert.x counted the connection before the take-over");
    assertEquals(1, t.vertxWebSocketsBefore(), "Vert.x counted the WebSocket before the take-over");
    assertTrue(t.activeRightAfter(), "the socket stays open through the take-over");
    assertFalse(t.handlerInactiveRightAfter(), "Vert.x's close is not passed on to the new handler");
    t.vertxSawClose().get(10, TimeUnit.SECONDS);
    assertEquals(0, vertxCounts.webSockets.get(), "Vert.x's WebSocket meter let go of the socket");
    assertEquals(0, vertxCounts.sockets.get(), "Vert.x's connection meter let go of the socket");

    ws.writeTextMessage("hello");
    assertEquals("hello", t.handler().received.poll(10, TimeUnit.SECONDS), "client frames reach the new handler");
    assertEquals("echo hello", echoed.get(10, TimeUnit.SECONDS), "the new handler's frames reach the client");

    ws.close((short) 1000, "done").await(10, TimeUnit.SECONDS);
    assertEquals((short) 1000, ws.closeStatusCode(), "the closing handshake went through the new handler");
    t.handler().inactive.get(10, TimeUnit.SECONDS);
    assertFalse(t.channel().isActive());
    assertEquals(0, vertxCounts.webSockets.get());
    assertEquals(0, vertxCounts.sockets.get());
    assertEquals(0, vertxCounts.negative.get(), "Vert.x released nothing twice");
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void shuttingTheServerDownReachesTheTakenOverSocket(boolean tls) throws Exception {
    HttpServer server = startServer(tls);
    CompletableFuture<Short> closedWith = new CompletableFuture<>();
    WebSocket ws = connect(server, tls);
    ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
    TakenOver t = accepted.poll(10, TimeUnit.SECONDS);
    t.vertxSawClose().get(10, TimeUnit.SECONDS);

    long start = System.nanoTime();
    Future<Void> shutdown = server.shutdown(60, TimeUnit.SECONDS);
    t.handler().shutdownSeen.get(10, TimeUnit.SECONDS);
    assertEquals((short) 1001, closedWith.get(10, TimeUnit.SECONDS), "the client got a proper close (going away)");
    shutdown.await(20, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20),
        "the server stopped because the socket closed, not at its shutdown timeout");
  }

  @Test
  void closingVertxClosesTheTakenOverSocket() throws Exception {
    HttpServer server = startServer(false);
    CompletableFuture<Short> closedWith = new CompletableFuture<>();
    WebSocket ws = connect(server, false);
    ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
    TakenOver t = accepted.poll(10, TimeUnit.SECONDS);
    t.vertxSawClose().get(10, TimeUnit.SECONDS);

    serverVertx.close().await(20, TimeUnit.SECONDS);
    assertTrue(t.handler().shutdownSeen.isDone(), "Vert.x's shutdown event reached the new handler");
    assertEquals((short) 1001, closedWith.get(10, TimeUnit.SECONDS));
  }

  @Test
  void isShutdownRecognisesOnlyVertxShutdown() {
    assertFalse(VertxNetty.isShutdown(IdleStateEvent.READER_IDLE_STATE_EVENT));
    assertFalse(VertxNetty.isShutdown("shutdown"));
    assertFalse(VertxNetty.isShutdown(null));
  }

  @Test
  void takeOverRefusesASocketVertxDoesNotHandle() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> VertxNetty.takeOver(channel, "x", new ChannelInboundHandlerAdapter()));
    assertTrue(e.getMessage().contains("no Vert.x handler"), e.getMessage());
    channel.finishAndReleaseAll();
  }

  @Test
  void takeOverRefusesToRunOffTheSocketsEventLoop() throws Exception {
    HttpServer server = startServer(false);
    connect(server, false);
    Channel channel = accepted.poll(10, TimeUnit.SECONDS).channel();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> VertxNetty.takeOver(channel, "again", new ChannelInboundHandlerAdapter()));
    assertTrue(e.getMessage().contains("event loop"), e.getMessage());
  }

  /** The bench's timer: on the context's event loop, with the context current, not before its time. */
  @Test
  void scheduleRunsOnceOnTheContextAfterTheDelay() throws Exception {
    Context context = serverVertx.getOrCreateContext();
    CompletableFuture<Thread> loop = new CompletableFuture<>();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    CompletableFuture<Long> ranAfter = new CompletableFuture<>();
    CompletableFuture<Context> current = new CompletableFuture<>();
    CompletableFuture<Boolean> cancelledRan = new CompletableFuture<>();
    long delay = TimeUnit.MILLISECONDS.toNanos(30);
    context.runOnContext(v -> {
      loop.complete(Thread.currentThread());
      long start = System.nanoTime();
      ScheduledFuture<?> cancelled = VertxNetty.schedule(context, delay / 2, () -> cancelledRan.complete(true));
      cancelled.cancel(false);
      VertxNetty.schedule(context, delay, () -> {
        current.complete(Vertx.currentContext());
        ranOn.complete(Thread.currentThread());
        ranAfter.complete(System.nanoTime() - start);
      });
    });
    assertTrue(ranAfter.get(10, TimeUnit.SECONDS) >= delay, "not before its delay");
    assertSame(loop.get(), ranOn.get(), "on the context's event loop");
    assertSame(context, current.get(), "the context is current while the task runs");
    assertNull(cancelledRan.getNow(null), "a cancelled timer does not run");
  }

  private HttpServer startServer(boolean tls) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    if (tls) {
      options.setSsl(true).setKeyCertOptions(CERT.keyCertOptions());
    }
    return serverVertx.createHttpServer(options)
        .requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
          Channel channel = VertxNetty.channelOf(request.connection());
          List<String> before = handlerClasses(channel);
          int socketsBefore = vertxCounts.sockets.get();
          int webSocketsBefore = vertxCounts.webSockets.get();
          CompletableFuture<Void> vertxSawClose = new CompletableFuture<>();
          ws.closeHandler(v -> vertxSawClose.complete(null));
          EchoHandler handler = new EchoHandler();
          VertxNetty.takeOver(channel, "echo", handler);
          accepted.add(new TakenOver(channel, before, handler, vertxSawClose, channel.isActive(),
              handler.inactive.isDone(), socketsBefore, webSocketsBefore));
        }))
        .listen().await(10, TimeUnit.SECONDS);
  }

  private WebSocket connect(HttpServer server, boolean tls) throws Exception {
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setSsl(tls)
        .setTrustOptions(CERT.trustOptions()).setVerifyHost(false));
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/").setSsl(tls)).await(10, TimeUnit.SECONDS);
  }

  private static List<String> handlerClasses(Channel channel) {
    return channel.pipeline().toMap().values().stream().map(h -> h.getClass().getName()).toList();
  }
}
