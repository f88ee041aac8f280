package io.ringkv.cli;

import io.ringkv.chaos.KeyState;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What a read's sibling document says, in the terms of the chaos checker. */
public final class SiblingValues {
  private SiblingValues() {}

  /** The values of the live (not deleted) siblings, decoded to text. */
  public static List<String> live(JsonObject doc) {
    List<String> values = new ArrayList<>();
    for (Object o : doc.getJsonArray("siblings")) {
      JsonObject sibling = (JsonObject) o;
      if (!sibling.getBoolean("deleted", false)) {
        String value = sibling.getString("value");
        values.add("base64".equals(sibling.getString("encoding"))
            ? new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8) : value);
      }
    }
    return values;
  }

  public static boolean hasTombstone(JsonObject doc) {
    return doc.getJsonArray("siblings").stream().map(JsonObject.class::cast)
        .anyMatch(s -> s.getBoolean("deleted", false));
  }

  /**
   * The key's state from a read with {@code Accept: application/json}: the sibling document of a
   * 200 or 300; a 404 holds no live value and a tombstone exactly when it carries a context.
   * Null for any other answer.
   */
  public static KeyState keyState(ChaosHttp.Reply reply) {
    if (reply.status() == 404) {
      return new KeyState(Set.of(), reply.header("X-Context") != null);
    }
    if (reply.status() != 200 && reply.status() != 300) {
      return null;
    }
    JsonObject doc = new JsonObject(reply.text());
    return new KeyState(new HashSet<>(live(doc)), hasTombstone(doc));
  }
}
