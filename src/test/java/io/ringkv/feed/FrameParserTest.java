package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {
  @Test
  void parsesTheFourMessagesOfTheSpec() {
    assertEquals(new FeedCommand.Subscribe(List.of("a", "b"), null),
        FrameParser.parse("{\"type\": \"subscribe\", \"keys\": [\"a\", \"b\"]}"));
    assertEquals(new FeedCommand.Subscribe(List.of(), "user/"),
        FrameParser.parse("{\"type\": \"subscribe\", \"prefix\": \"user/\"}"));
    assertEquals(new FeedCommand.Subscribe(List.of(), ""), FrameParser.parse("{\"type\":\"subscribe\",\"prefix\":\"\"}"));
    assertEquals(new FeedCommand.Unsubscribe(List.of("a"), null),
        FrameParser.parse("{\"type\": \"unsubscribe\", \"keys\": [\"a\"]}"));
    assertEquals(new FeedCommand.Unsubscribe(List.of(), "user/"),
        FrameParser.parse("{\"type\": \"unsubscribe\", \"prefix\": \"user/\"}"));
  }

  @Test
  void acceptsBothFieldsAndIgnoresUnknownOnes() {
    assertEquals(new FeedCommand.Subscribe(List.of("k/é"), "p"),
        FrameParser.parse("{\"id\":{\"x\":[1,2]},\"keys\":[\"k/\\u00e9\"],\"prefix\":\"p\",\"type\":\"subscribe\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "not json", "[]", "42", "\"subscribe\"", "null", "{", "{\"type\":\"subscribe\",\"keys\":[\"a\"]",
      "{}", "{\"keys\":[\"a\"]}", "{\"type\":\"publish\",\"keys\":[\"a\"]}", "{\"type\":5,\"keys\":[\"a\"]}",
      "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"keys\":\"a\"}", "{\"type\":\"subscribe\",\"keys\":[1]}",
      "{\"type\":\"subscribe\",\"keys\":[[\"a\"]]}", "{\"type\":\"subscribe\",\"keys\":[null]}",
      "{\"type\":\"subscribe\",\"keys\":null}", "{\"type\":\"subscribe\",\"prefix\":null}",
      "{\"type\":\"subscribe\",\"prefix\":7}", "{\"type\":\"subscribe\",\"type\":\"subscribe\",\"prefix\":\"a\"}",
      "{\"type\":\"subscribe\",\"prefix\":\"a\"} {}", "{\"type\":\"subscribe\",\"prefix\":\"a\"}x"})
  void refusesMalformedMessagesWithAMessage(String text) {
    FeedCommand c = FrameParser.parse(text);
    FeedCommand.Invalid invalid = assertInstanceOf(FeedCommand.Invalid.class, c, text);
    assertEquals(false, invalid.message().isBlank());
  }
}
