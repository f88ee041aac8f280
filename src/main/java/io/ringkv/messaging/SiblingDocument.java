package io.ringkv.messaging;

import io.ringkv.version.CausalContextCodec;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Utf8;
import io.ringkv.version.Version;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The JSON sibling document of API.md, also used by the change feed. */
public final class SiblingDocument {
  private SiblingDocument() {}

  public static JsonObject of(byte[] key, SiblingSet set) {
    return new JsonObject()
        .put("key", new String(key, StandardCharsets.UTF_8))
        .put("context", CausalContextCodec.encode(set.context()))
        .put("siblings", siblings(set));
  }

  public static JsonArray siblings(SiblingSet set) {
    JsonArray siblings = new JsonArray();
    for (Version v : set.versions()) {
      siblings.add(sibling(v));
    }
    return siblings;
  }

  public static JsonObject sibling(Version v) {
    boolean utf8 = Utf8.isValid(v.value());
    JsonObject clock = new JsonObject();
    v.clock().asMap().forEach(clock::put);
    return new JsonObject()
        .put("value", utf8 ? new String(v.value(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(v.value()))
        .put("encoding", utf8 ? "utf8" : "base64")
        .put("contentType", v.contentType())
        .put("timestamp", v.timestampMs())
        .put("deleted", v.tombstone())
        .put("clock", clock);
  }
}
