package io.ringkv.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/** Reads values out of API.md sibling documents (and feed events, which share the shape). */
public final class SiblingDocs {
  private SiblingDocs() {}

  public static Set<String> values(JsonObject doc) {
    Set<String> values = new HashSet<>();
    for (Object o : doc.getJsonArray("siblings")) {
      JsonObject s = (JsonObject) o;
      values.add("base64".equals(s.getString("encoding"))
          ? new String(Base64.getDecoder().decode(s.getString("value")), StandardCharsets.UTF_8) : s.getString("value"));
    }
    return values;
  }
}
