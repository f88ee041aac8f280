package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.netty.VertxNetty;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard on a bare Vert.x server configured as the node's: deadlines and JSON answers to undecodable heads. */
class ConnectionGuardTest {
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setPort(0).setHost("127.0.0.1")
            .setHttp2ClearTextEnabled(false))
        .requestHandler(r -> r.body().onSuccess(b -> r.response().end("ok")))
        .connectionHandler(c -> VertxNetty.addBeforeVertx(c, "guard", new ConnectionGuard(1_000)))
        .listen().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleConnectionIsClosedAfterTheTimeoutAndAServedOneAfterItsLastAnswer() throws Exception {
    try (Socket idle = socket(); Socket served = socket()) {
      served.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      long start = System.nanoTime();
      assertEquals(-1, drain(idle.getInputStream()));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds > 0.8 && seconds < 8, "closed after " + seconds + " s");
      assertEquals(-1, drain(served.getInputStream()), "closed once idle after its answer");
    }
  }

  @Test
  void aStalledBodyIsCutOff() throws Exception {
    try (Socket s = socket()) {
      s.getOutputStream().write("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"
          .getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(-1, drain(s.getInputStream()));
    }
  }

  @Test
  void anUndecodableHeadGetsAJsonErrorAndTheConnectionCloses() throws Exception {
    try (Socket s = socket()) {
      s.getOutputStream().write(("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 414"), answer);
      assertTrue(answer.contains("{\"error\":\"too_large\""), answer);
    }
  }

  private Socket socket() throws IOException {
    Socket s = new Socket("127.0.0.1", server.actualPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static int drain(InputStream in) throws IOException {
    int b;
    while ((b = in.read()) >= 0) {
      // the answer of the served connection
    }
    return b;
  }
}
