package io.ringkv.feed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one client text message into a {@link FeedCommand}. Never throws: anything that is not
 * exactly a subscribe/unsubscribe object (not JSON, not an object, unknown or missing type, keys
 * not an array of strings, prefix not a string, neither keys nor prefix, duplicate fields,
 * trailing data) becomes {@link FeedCommand.Invalid} with a message for the client. Unknown
 * fields are ignored, for forward compatibility. Uses Jackson's streaming parser only.
 */
public final class FrameParser {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private FrameParser() {}

  public static FeedCommand parse(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return invalid("a message must be a JSON object");
      }
      String type = null;
      List<String> keys = null;
      String prefix = null;
      boolean sawPrefix = false;
      String op = null;
      String token = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "type" -> {
            if (type != null || value != JsonToken.VALUE_STRING) {
              return invalid(type != null ? "duplicate field \"type\"" : "\"type\" must be a string");
            }
            type = p.getText();
          }
          case "keys" -> {
            if (keys != null) {
              return invalid("duplicate field \"keys\"");
            }
            keys = readKeys(p, value);
            if (keys == null) {
              return invalid("\"keys\" must be an array of strings");
            }
          }
          case "prefix" -> {
            if (sawPrefix) {
              return invalid("duplicate field \"prefix\"");
            }
            sawPrefix = true;
            if (value != JsonToken.VALUE_STRING) {
              return invalid("\"prefix\" must be a string");
            }
            prefix = p.getText();
          }
          case "op" -> op = value == JsonToken.VALUE_STRING ? p.getText() : "";
          case "token" -> token = value == JsonToken.VALUE_STRING ? p.getText() : null;
          default -> p.skipChildren();
        }
        if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
          p.skipChildren(); // "op" or "token" given as an array or object
        }
      }
      if (p.nextToken() != null) {
        return invalid("trailing data after the JSON object");
      }
      if (op != null) {
        return "auth".equals(op) && type == null && token != null ? new FeedCommand.Auth(token)
            : invalid("\"op\" must be \"auth\" with a string \"token\"");
      }
      return command(type, keys, prefix);
    } catch (JsonProcessingException e) {
      return invalid("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return invalid("not valid JSON");
    }
  }

  private static FeedCommand command(String type, List<String> keys, String prefix) {
    if (type == null) {
      return invalid("missing \"type\" (subscribe or unsubscribe)");
    }
    boolean subscribe = type.equals("subscribe");
    if (!subscribe && !type.equals("unsubscribe")) {
      return invalid("unknown type \"" + type + "\" (expected subscribe or unsubscribe)");
    }
    if (keys == null && prefix == null) {
      return invalid(type + " needs \"keys\" (an array of strings) or \"prefix\" (a string)");
    }
    List<String> k = keys == null ? List.of() : List.copyOf(keys);
    return subscribe ? new FeedCommand.Subscribe(k, prefix) : new FeedCommand.Unsubscribe(k, prefix);
  }

  /** Reads an array of strings; null if the value is anything else. */
  private static List<String> readKeys(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_STRING) {
        p.skipChildren();
        return null;
      }
      out.add(p.getText());
    }
    return out;
  }

  private static FeedCommand invalid(String message) {
    return new FeedCommand.Invalid(message);
  }
}
