package io.ringkv.feed;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Which subscribers an event for a key reaches, found without looking at the subscribers that do
 * not match: exact keys are a hash lookup, prefixes one lookup per distinct prefix length. A node
 * with many idle subscribers then pays for the matching ones only. Subscribers are compared with
 * {@code equals}. Not thread-safe: one HTTP instance's index lives on its event loop.
 */
public final class SubscriptionIndex<T> {
  /** Per key or prefix: one subscriber, or a {@code Set} of them (most keys have one). */
  private final Map<String, Object> byKey = new HashMap<>();
  private final Map<String, Object> byPrefix = new HashMap<>();
  /** How many subscribed prefixes have each length; the lengths an event key must be cut at. */
  private final TreeMap<Integer, Integer> prefixLengthCounts = new TreeMap<>();
  private int[] prefixLengths = new int[0];

  /** The add and remove methods return true when the key or prefix gained its first, or lost its last, subscriber. */
  public boolean addKey(String key, T subscriber) {
    return add(byKey, key, subscriber);
  }

  public boolean removeKey(String key, T subscriber) {
    return remove(byKey, key, subscriber);
  }

  public boolean addPrefix(String prefix, T subscriber) {
    if (!add(byPrefix, prefix, subscriber)) {
      return false;
    }
    prefixLengthCounts.merge(prefix.length(), 1, Integer::sum);
    prefixLengths = prefixLengthCounts.keySet().stream().mapToInt(Integer::intValue).toArray();
    return true;
  }

  public boolean removePrefix(String prefix, T subscriber) {
    if (!remove(byPrefix, prefix, subscriber)) {
      return false;
    }
    prefixLengthCounts.computeIfPresent(prefix.length(), (length, n) -> n == 1 ? null : n - 1);
    prefixLengths = prefixLengthCounts.keySet().stream().mapToInt(Integer::intValue).toArray();
    return true;
  }

  /** True when nothing is subscribed: an event then needs no work at all. */
  public boolean isEmpty() {
    return byKey.isEmpty() && byPrefix.isEmpty();
  }

  /**
   * Calls {@code action} once for every subscriber of {@code key} or of a prefix of it, however
   * many of them it holds. {@code action} must not change this index.
   */
  public void forEachMatch(String key, Consumer<? super T> action) {
    Object first = byKey.get(key);
    Set<T> merged = null; // only built when two buckets match, as they may share subscribers
    for (int length : prefixLengths) {
      if (length > key.length()) {
        break;
      }
      Object bucket = byPrefix.get(key.substring(0, length));
      if (bucket == null) {
        continue;
      }
      if (first == null) {
        first = bucket;
        continue;
      }
      if (merged == null) {
        merged = new HashSet<>();
        collect(first, merged);
      }
      collect(bucket, merged);
    }
    if (merged != null) {
      merged.forEach(action);
    } else if (first != null) {
      each(first, action);
    }
  }

  int[] prefixLengths() {
    return Arrays.copyOf(prefixLengths, prefixLengths.length);
  }

  @SuppressWarnings("unchecked")
  private void collect(Object bucket, Set<T> into) {
    if (bucket instanceof BucketSet<?> set) {
      into.addAll((BucketSet<T>) set);
    } else {
      into.add((T) bucket);
    }
  }

  @SuppressWarnings("unchecked")
  private void each(Object bucket, Consumer<? super T> action) {
    if (bucket instanceof BucketSet<?> set) {
      ((BucketSet<T>) set).forEach(action);
    } else {
      action.accept((T) bucket);
    }
  }

  /** Returns true when {@code at} gained its first subscriber. */
  @SuppressWarnings("unchecked")
  private boolean add(Map<String, Object> index, String at, T subscriber) {
    Object bucket = index.get(at);
    if (bucket == null) {
      index.put(at, subscriber);
      return true;
    }
    if (bucket instanceof BucketSet<?> set) {
      ((BucketSet<T>) set).add(subscriber);
    } else if (!bucket.equals(subscriber)) {
      BucketSet<T> set = new BucketSet<>();
      set.add((T) bucket);
      set.add(subscriber);
      index.put(at, set);
    }
    return false;
  }

  /** Returns true when {@code at} lost its last subscriber. */
  private boolean remove(Map<String, Object> index, String at, T subscriber) {
    Object bucket = index.get(at);
    if (bucket == null) {
      return false;
    }
    if (bucket instanceof BucketSet<?> set) {
      set.remove(subscriber);
      if (set.size() == 1) {
        index.put(at, set.iterator().next());
      }
      return false;
    }
    if (bucket.equals(subscriber)) {
      index.remove(at);
      return true;
    }
    return false;
  }

  /** A bucket's subscribers (its own type, so a subscriber can never be mistaken for a bucket). */
  private static final class BucketSet<T> extends HashSet<T> {
    private static final long serialVersionUID = 1L;
  }
}
