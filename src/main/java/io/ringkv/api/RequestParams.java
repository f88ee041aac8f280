package io.ringkv.api;

import java.util.List;
import java.util.Locale;

/** Parses and validates the query parameters of data requests. Pure: strings in, values out. */
public final class RequestParams {
  public static final long MAX_TIMEOUT_MS = 60_000;

  private RequestParams() {}

  /**
   * The value of a query parameter given {@code values} (every occurrence, in order), or null when
   * absent. Given twice it is refused: which of two values the client meant is a guess.
   */
  public static String single(String name, List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new BadRequestException("query parameter '" + name + "' is given " + values.size()
          + " times; give it once");
    }
    return values.get(0);
  }

  /**
   * {@code r} or {@code w}: an integer 1..n or one of {@code one}, {@code quorum}, {@code all};
   * absent means the configured default.
   */
  public static int quorum(String name, String value, int n, int defaultValue) {
    if (value == null) {
      return Math.min(defaultValue, n);
    }
    int parsed = switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "one" -> 1;
      case "quorum" -> n / 2 + 1;
      case "all" -> n;
      default -> parseInt(name, value);
    };
    if (parsed < 1 || parsed > n) {
      throw new BadRequestException(name + " must be between 1 and n=" + n + ", got " + value);
    }
    return parsed;
  }

  public static long timeout(String value, long defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new BadRequestException("timeout must be a number of milliseconds, got '" + value + "'");
    }
    if (parsed < 1 || parsed > MAX_TIMEOUT_MS) {
      throw new BadRequestException("timeout must be between 1 and " + MAX_TIMEOUT_MS + " ms, got " + value);
    }
    return parsed;
  }

  public static boolean bool(String name, String value, boolean defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new BadRequestException(name + " must be true or false, got '" + value + "'");
    };
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new BadRequestException(name + " must be an integer or one|quorum|all, got '" + value + "'");
    }
  }
}
