package io.ringkv.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 1123 dates for {@code Last-Modified}, whole seconds, remembering the last one: under load
 * most reads are of values written in the same second, and formatting each time was about 1% of
 * an event loop's CPU. Not thread-safe: one per event loop.
 */
final class HttpDates {
  private long lastSecond;
  private String last;

  String format(long timestampMs) {
    long second = Math.floorDiv(timestampMs, 1000);
    if (last == null || second != lastSecond) {
      last = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC));
      lastSecond = second;
    }
    return last;
  }
}
