package io.ringkv.api;

import java.time.LocalDate;

/**
 * HTTP dates for {@code Last-Modified}: RFC 9110's IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT},
 * two-digit day), whole seconds, remembering the last one. Written out by hand: java.time's
 * {@code RFC_1123_DATE_TIME} drops the day's leading zero, and through a formatter each date cost
 * about 1% of an event loop's CPU, as reads of many keys rarely share a second. Years 0-9999.
 * Not thread-safe: one per event loop.
 */
final class HttpDates {
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  private static final long SECONDS_PER_DAY = 86_400;

  private long lastSecond;
  private String last;

  String format(long timestampMs) {
    long second = Math.floorDiv(timestampMs, 1000);
    if (last == null || second != lastSecond) {
      last = imfFixdate(second);
      lastSecond = second;
    }
    return last;
  }

  static String imfFixdate(long epochSecond) {
    long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    StringBuilder sb = new StringBuilder(29)
        .append(DAYS[date.getDayOfWeek().ordinal()]).append(", ");
    twoDigits(sb, date.getDayOfMonth()).append(' ').append(MONTHS[date.getMonthValue() - 1]).append(' ');
    int year = date.getYear();
    twoDigits(twoDigits(sb, year / 100), year % 100).append(' ');
    twoDigits(sb, secondOfDay / 3600).append(':');
    twoDigits(sb, secondOfDay / 60 % 60).append(':');
    return twoDigits(sb, secondOfDay % 60).append(" GMT").toString();
  }

  private static StringBuilder twoDigits(StringBuilder sb, int value) {
    return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
