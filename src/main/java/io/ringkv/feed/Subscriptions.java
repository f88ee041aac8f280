package io.ringkv.feed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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

  /** What an unsubscribe removed: the keys that were subscribed, and the prefix if it was (else null). */
  public record Removed(List<String> keys, String prefix) {}

  private static final String[] NO_PREFIXES = new String[0];

  private final int maxKeys;
  private final int maxPrefixes;
  /** Null until the first key: an idle subscriber should cost as little as possible. */
  private Set<String> keys;
  /** Few (bounded by maxPrefixes), in subscription order. */
  private String[] prefixes = NO_PREFIXES;

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
      if (!hasKey(k) && seen.add(k)) {
        added.add(k);
      }
    }
    if (keyCount() + added.size() > maxKeys) {
      return Result.error("too many keys: a connection may subscribe to at most " + maxKeys + " keys (it has "
          + keyCount() + ", this message adds " + added.size() + ")");
    }
    boolean newPrefix = prefix != null && !hasPrefix(prefix);
    if (newPrefix && prefixes.length >= maxPrefixes) {
      return Result.error("too many prefixes: a connection may subscribe to at most " + maxPrefixes + " prefixes");
    }
    if (!added.isEmpty()) {
      if (keys == null) {
        keys = new HashSet<>();
      }
      keys.addAll(added);
    }
    if (newPrefix) {
      prefixes = Arrays.copyOf(prefixes, prefixes.length + 1);
      prefixes[prefixes.length - 1] = prefix;
    }
    return Result.ok(new Added(List.copyOf(added), newPrefix ? prefix : null));
  }

  /** Removes what is listed; keys and prefixes that were not subscribed are ignored. */
  public Removed unsubscribe(List<String> oldKeys, String prefix) {
    List<String> removed = new ArrayList<>();
    if (keys != null) {
      for (String k : oldKeys) {
        if (keys.remove(k)) {
          removed.add(k);
        }
      }
    }
    boolean prefixRemoved = prefix != null && hasPrefix(prefix);
    if (prefixRemoved) {
      String[] rest = new String[prefixes.length - 1];
      int i = 0;
      for (String p : prefixes) {
        if (!p.equals(prefix)) {
          rest[i++] = p;
        }
      }
      prefixes = rest;
    }
    return new Removed(List.copyOf(removed), prefixRemoved ? prefix : null);
  }

  public int keyCount() {
    return keys == null ? 0 : keys.size();
  }

  public int prefixCount() {
    return prefixes.length;
  }

  /** The subscribed keys, in no particular order. */
  public List<String> keys() {
    return keys == null ? List.of() : List.copyOf(keys);
  }

  /** The subscribed prefixes, in subscription order. */
  public List<String> prefixes() {
    return List.of(prefixes);
  }

  private boolean hasKey(String k) {
    return keys != null && keys.contains(k);
  }

  private boolean hasPrefix(String prefix) {
    for (String p : prefixes) {
      if (p.equals(prefix)) {
        return true;
      }
    }
    return false;
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
