package io.ringkv.feed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one feed connection listens to: exact keys and key prefixes ("" = every key), with limits.
 * A subscribe is all-or-nothing: if it would break a limit or carries an invalid key, nothing
 * changes. Not thread-safe: one connection's state lives on its event loop.
 */
public final class Subscriptions {
  /** What a subscribe changed: the keys newly added and the prefix if it was new (else null). */
  public record Added(List<String> keys, String prefix) {}

  /** A subscribe's outcome: exactly one of {@code added} and {@code error} is non-null. */
  public record Result(Added added, String error) {
    static Result ok(Added added) {
      return new Result(added, null);
    }

    static Result error(String message) {
      return new Result(null, message);
    }
  }

  private final int maxKeys;
  private final int maxPrefixes;
  private final Set<String> keys = new HashSet<>();
  /** Few (bounded by maxPrefixes); insertion order only matters for tests and debugging. */
  private final Set<String> prefixes = new LinkedHashSet<>();
  private String[] prefixArray = new String[0];

  public Subscriptions(int maxKeys, int maxPrefixes) {
    this.maxKeys = maxKeys;
    this.maxPrefixes = maxPrefixes;
  }

  public static Subscriptions withDefaultLimits() {
    return new Subscriptions(FeedLimits.DEFAULT_MAX_KEYS, FeedLimits.DEFAULT_MAX_PREFIXES);
  }

  /** Adds {@code newKeys} (may be empty) and {@code prefix} (may be null), all or nothing. */
  public Result subscribe(List<String> newKeys, String prefix) {
    for (String k : newKeys) {
      String bad = checkKey(k, false);
      if (bad != null) {
        return Result.error(bad);
      }
    }
    if (prefix != null) {
      String bad = checkKey(prefix, true);
      if (bad != null) {
        return Result.error(bad);
      }
    }
    List<String> added = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String k : newKeys) {
      if (!keys.contains(k) && seen.add(k)) {
        added.add(k);
      }
    }
    if (keys.size() + added.size() > maxKeys) {
      return Result.error("too many keys: a connection may subscribe to at most " + maxKeys + " keys (it has "
          + keys.size() + ", this message adds " + added.size() + ")");
    }
    boolean newPrefix = prefix != null && !prefixes.contains(prefix);
    if (newPrefix && prefixes.size() >= maxPrefixes) {
      return Result.error("too many prefixes: a connection may subscribe to at most " + maxPrefixes + " prefixes");
    }
    keys.addAll(added);
    if (newPrefix) {
      prefixes.add(prefix);
      prefixArray = prefixes.toArray(new String[0]);
    }
    return Result.ok(new Added(List.copyOf(added), newPrefix ? prefix : null));
  }

  /** Removes what is listed; keys and prefixes that were not subscribed are ignored. */
  public void unsubscribe(List<String> oldKeys, String prefix) {
    oldKeys.forEach(keys::remove);
    if (prefix != null && prefixes.remove(prefix)) {
      prefixArray = prefixes.toArray(new String[0]);
    }
  }

  /** True when an event for {@code key} must reach this connection (at most once, however many match). */
  public boolean matches(String key) {
    if (keys.contains(key)) {
      return true;
    }
    for (String p : prefixArray) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return keys.isEmpty() && prefixArray.length == 0;
  }

  public int keyCount() {
    return keys.size();
  }

  public int prefixCount() {
    return prefixArray.length;
  }

  private static String checkKey(String k, boolean isPrefix) {
    String what = isPrefix ? "prefix" : "key";
    if (!isPrefix && k.isEmpty()) {
      return "key must not be empty";
    }
    if (k.length() > FeedLimits.MAX_KEY_BYTES || k.getBytes(StandardCharsets.UTF_8).length > FeedLimits.MAX_KEY_BYTES) {
      return what + " is longer than " + FeedLimits.MAX_KEY_BYTES + " bytes";
    }
    return null;
  }
}
