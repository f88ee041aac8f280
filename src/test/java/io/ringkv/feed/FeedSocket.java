package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test subscriber: a Vert.x WebSocket whose messages the test thread takes from a queue. */
final class FeedSocket implements AutoCloseable {
  final WebSocket ws;
  final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();

  private FeedSocket(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> received.add(new JsonObject(text)));
  }

  /** {@code client} must be held in a field by the caller (VERTX5.md: GC closes unreferenced clients). */
  static FeedSocket connect(WebSocketClient client, int port) {
    try {
      return new FeedSocket(client.connect(port, "127.0.0.1", "/feed").await(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("feed connect to " + port + " failed", e);
    }
  }

  void send(String text) {
    ws.writeTextMessage(text);
  }

  JsonObject next() {
    try {
      JsonObject m = received.poll(15, TimeUnit.SECONDS);
      assertNotNull(m, "no feed message within 15 s");
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonObject next(String type) {
    JsonObject m = next();
    assertEquals(type, m.getString("type"), m.encode());
    return m;
  }

  JsonObject subscribePrefix(String prefix) {
    send(new JsonObject().put("type", "subscribe").put("prefix", prefix).encode());
    return next("subscribed");
  }

  void assertNothingWithin(long ms) throws InterruptedException {
    assertNull(received.poll(ms, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    ws.close();
  }
}
