package io.ringkv.feed;

import java.util.List;

/** A client message of the feed protocol, parsed and validated by {@link FrameParser}. */
public sealed interface FeedCommand {
  /** {@code {"type":"subscribe","keys":[...]}} and/or {@code "prefix":"..."}; keys never null, prefix may be. */
  record Subscribe(List<String> keys, String prefix) implements FeedCommand {}

  /** {@code {"type":"unsubscribe", ...}}, same fields as subscribe. */
  record Unsubscribe(List<String> keys, String prefix) implements FeedCommand {}

  /** {@code {"op":"auth","token":"..."}}: a browser's token, as the first message (API.md, "Security"). */
  record Auth(String token) implements FeedCommand {
    @Override
    public String toString() {
      return "Auth[token hidden]";
    }
  }

  /** The message was refused; {@code message} goes into the error frame. */
  record Invalid(String message) implements FeedCommand {}
}
