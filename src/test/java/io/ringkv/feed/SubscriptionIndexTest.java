package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {
  @Test
  void keysAndPrefixesFindTheirSubscribersOnceEach() {
    SubscriptionIndex<String> index = new SubscriptionIndex<>();
    index.addKey("user/42", "exact");
    index.addPrefix("user/", "users");
    index.addPrefix("", "everything");
    // "both" matches by key and by two prefixes: still one delivery
    index.addKey("user/42", "both");
    index.addPrefix("user/", "both");
    index.addPrefix("u", "both");
    assertEquals(List.of("both", "everything", "exact", "users"), matches(index, "user/42"));
    assertEquals(List.of("both", "everything", "users"), matches(index, "user/7"));
    assertEquals(List.of("both", "everything"), matches(index, "u"));
    assertEquals(List.of("everything"), matches(index, "other"));
    assertArrayEquals(new int[] {0, 1, 5}, index.prefixLengths());
    index.removePrefix("", "everything");
    index.removePrefix("u", "both");
    assertArrayEquals(new int[] {5}, index.prefixLengths(), "lengths nobody uses are no longer tried");
    assertEquals(List.of(), matches(index, "other"));
  }

  /** Random subscribes and unsubscribes by several subscribers, checked against a plain model. */
  @Test
  void agreesWithAModelUnderRandomChanges() {
    String[] words = {"", "a", "ab", "abc", "abd", "b", "ba", "user/", "user/1", "user/12"};
    for (long seed = 0; seed < 50; seed++) {
      Random random = new Random(seed);
      SubscriptionIndex<Integer> index = new SubscriptionIndex<>();
      Map<Integer, Set<String>> keys = new HashMap<>();
      Map<Integer, Set<String>> prefixes = new HashMap<>();
      for (int step = 0; step < 300; step++) {
        int subscriber = random.nextInt(6);
        String word = words[random.nextInt(words.length)];
        boolean prefix = random.nextBoolean();
        Set<String> model = (prefix ? prefixes : keys).computeIfAbsent(subscriber, s -> new HashSet<>());
        // The hub only passes on what Subscriptions reports as newly added or really removed.
        if (random.nextInt(3) > 0) {
          if (model.add(word)) {
            if (prefix) {
              index.addPrefix(word, subscriber);
            } else {
              index.addKey(word, subscriber);
            }
          }
        } else if (model.remove(word)) {
          if (prefix) {
            index.removePrefix(word, subscriber);
          } else {
            index.removeKey(word, subscriber);
          }
        }
        for (String key : words) {
          List<Integer> expected = new ArrayList<>();
          for (int s = 0; s < 6; s++) {
            boolean byKey = keys.getOrDefault(s, Set.of()).contains(key);
            boolean byPrefix = prefixes.getOrDefault(s, Set.of()).stream().anyMatch(key::startsWith);
            if (byKey || byPrefix) {
              expected.add(s);
            }
          }
          assertEquals(expected, matches(index, key), "seed " + seed + " step " + step + " key '" + key + "'");
        }
        boolean nothingSubscribed = keys.values().stream().allMatch(Set::isEmpty)
            && prefixes.values().stream().allMatch(Set::isEmpty);
        assertEquals(nothingSubscribed, index.isEmpty(), "seed " + seed + " step " + step);
      }
    }
  }

  private static <T extends Comparable<T>> List<T> matches(SubscriptionIndex<T> index, String key) {
    List<T> found = new ArrayList<>();
    index.forEachMatch(key, found::add);
    List<T> sorted = new ArrayList<>(found);
    sorted.sort(null);
    assertEquals(new HashSet<>(found).size(), found.size(), "a subscriber reached twice: " + found);
    return sorted;
  }
}
