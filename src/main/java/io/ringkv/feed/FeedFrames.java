package io.ringkv.feed;

import io.ringkv.messaging.FeedEvent;
import io.ringkv.messaging.SiblingDocument;
import io.ringkv.version.CausalContextCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The server's frames (API.md, "Change feed"), as JSON text. */
final class FeedFrames {
  private FeedFrames() {}

  /** {@code update} for one sibling, {@code conflict} for two or more (tombstones count). */
  static String event(FeedEvent e) {
    return new JsonObject()
        .put("type", e.siblings().size() >= 2 ? "conflict" : "update")
        .put("key", new String(e.key(), StandardCharsets.UTF_8))
        .put("context", CausalContextCodec.encode(e.siblings().context()))
        .put("siblings", SiblingDocument.siblings(e.siblings()))
        .put("coordinator", e.coordinator())
        .encode();
  }

  /**
   * One complete, unmasked, final WebSocket text frame (RFC 6455 section 5.2) holding {@code json}:
   * built once per event and written as is to every subscriber that matches it.
   */
  static byte[] textFrame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) 0x81; // FIN + text
    if (n <= 125) {
      frame[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
  }

  static String subscribed(List<String> keys, String prefix) {
    return new JsonObject().put("type", "subscribed").put("keys", new JsonArray(keys)).put("prefix", prefix).encode();
  }

  static String error(String message) {
    return new JsonObject().put("type", "error").put("message", message).encode();
  }

  static String dropped(long count) {
    return new JsonObject().put("type", "error")
        .put("message", count + " events were dropped because this subscriber was too slow")
        .put("dropped", count).encode();
  }
}
