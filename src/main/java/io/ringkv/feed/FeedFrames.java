package io.ringkv.feed;

import io.ringkv.api.SiblingDocument;
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
