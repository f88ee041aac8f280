package io.ringkv.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the token file of {@code --auth-tokens} (API.md, "Security"):
 * {@code {"tokens": [{"token": "...", "roles": ["read", "write", "admin"]}, ...]}}. Errors name the
 * entry by its position and never quote the file, which holds secrets.
 */
public final class TokenFile {
  private TokenFile() {}

  /** @throws IllegalArgumentException with a message that contains no token */
  public static Tokens parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the token file is not a JSON object");
    }
    if (!(json.getValue("tokens") instanceof JsonArray array)) {
      throw new IllegalArgumentException("the token file needs \"tokens\": an array of {\"token\", \"roles\"}");
    }
    List<Tokens.Grant> grants = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Tokens.Grant grant = grant(array.getValue(i), i + 1);
      if (!seen.add(grant.token())) {
        throw new IllegalArgumentException("token entry " + (i + 1) + " repeats an earlier token");
      }
      grants.add(grant);
    }
    return Tokens.of(grants);
  }

  private static Tokens.Grant grant(Object value, int position) {
    String where = "token entry " + position + ": ";
    if (!(value instanceof JsonObject entry)) {
      throw new IllegalArgumentException(where + "must be an object {\"token\", \"roles\"}");
    }
    if (!(entry.getValue("token") instanceof String token) || token.isBlank()
        || token.length() > Tokens.MAX_TOKEN_CHARS || !printable(token)) {
      throw new IllegalArgumentException(where + "\"token\" must be a string of 1.." + Tokens.MAX_TOKEN_CHARS
          + " printable ASCII characters without spaces");
    }
    if (!(entry.getValue("roles") instanceof JsonArray roles) || roles.isEmpty()) {
      throw new IllegalArgumentException(where + "\"roles\" must be a non-empty array of read, write, admin");
    }
    Set<Role> parsed = EnumSet.noneOf(Role.class);
    for (Object role : roles) {
      if (!(role instanceof String name)) {
        throw new IllegalArgumentException(where + "each role must be a string: read, write or admin");
      }
      try {
        parsed.add(Role.parse(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
    }
    return new Tokens.Grant(token, parsed);
  }

  /** What an HTTP header can carry after "Bearer ": visible ASCII, no spaces. */
  private static boolean printable(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
