package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** The feed's first-message authentication, {@code {"op":"auth","token":"..."}} (API.md, "Security"). */
class FeedAuthFrameTest {

  @Test
  void anAuthMessageCarriesItsToken() {
    FeedCommand c = FrameParser.parse("{\"op\":\"auth\",\"token\":\"t-1\"}");
    assertEquals("t-1", assertInstanceOf(FeedCommand.Auth.class, c).token());
    assertFalse(c.toString().contains("t-1"), "a parsed auth message never prints its token");
    assertInstanceOf(FeedCommand.Auth.class, FrameParser.parse("{\"token\":\"t\",\"op\":\"auth\",\"x\":[1]}"));
  }

  @Test
  void malformedAuthMessagesAreInvalid() {
    for (String text : new String[] {"{\"op\":\"auth\"}", "{\"op\":\"auth\",\"token\":1}",
        "{\"op\":\"auth\",\"token\":[\"t\"]}", "{\"op\":\"login\",\"token\":\"t\"}", "{\"op\":[],\"token\":\"t\"}",
        "{\"op\":\"auth\",\"token\":\"t\",\"type\":\"subscribe\"}", "{\"op\":\"auth\",\"token\":\"t\"} x"}) {
      assertInstanceOf(FeedCommand.Invalid.class, FrameParser.parse(text), text);
    }
  }
}
