package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {
  @Test
  void subscribeReportsOnlyWhatItAdded() {
    Subscriptions s = new Subscriptions(10, 3);
    Subscriptions.Result first = s.subscribe(List.of("a", "b", "a"), null);
    assertEquals(List.of("a", "b"), first.added().keys());
    assertNull(first.added().prefix());
    Subscriptions.Result second = s.subscribe(List.of("b", "c"), "user/");
    assertEquals(List.of("c"), second.added().keys());
    assertEquals("user/", second.added().prefix());
    Subscriptions.Result again = s.subscribe(List.of(), "user/");
    assertEquals(List.of(), again.added().keys());
    assertNull(again.added().prefix(), "an already subscribed prefix adds nothing");
  }

  @Test
  void unsubscribeRemovesOnlyWhatWasSubscribedAndSaysWhat() {
    Subscriptions s = new Subscriptions(10, 3);
    s.subscribe(List.of("exact"), "user/");
    s.subscribe(List.of(), "");
    assertEquals(List.of("exact"), s.keys());
    assertEquals(List.of("user/", ""), s.prefixes(), "in subscription order");
    Subscriptions.Removed everything = s.unsubscribe(List.of(), "");
    assertEquals(new Subscriptions.Removed(List.of(), ""), everything);
    Subscriptions.Removed rest = s.unsubscribe(List.of("exact", "never"), "user/");
    assertEquals(new Subscriptions.Removed(List.of("exact"), "user/"), rest, "'never' was not subscribed");
    assertEquals(new Subscriptions.Removed(List.of(), null), s.unsubscribe(List.of("exact"), "user/"));
    assertEquals(List.of(), s.keys());
    assertEquals(List.of(), s.prefixes());
  }

  @Test
  void limitsAreAllOrNothing() {
    Subscriptions s = new Subscriptions(3, 1);
    s.subscribe(List.of("a", "b"), null);
    Subscriptions.Result tooMany = s.subscribe(List.of("c", "d"), null);
    assertNotNull(tooMany.error());
    assertEquals(2, s.keyCount(), "nothing added on error");
    assertNull(s.subscribe(List.of("a", "c"), null).error(), "already-subscribed keys do not count twice");
    s.subscribe(List.of(), "p/");
    Subscriptions.Result secondPrefix = s.subscribe(List.of(), "q/");
    assertNotNull(secondPrefix.error());
    assertNull(s.subscribe(List.of(), "p/").error(), "re-subscribing a held prefix is fine");
    assertEquals(1, s.prefixCount());
  }

  @Test
  void rejectsEmptyAndOverlongKeys() {
    Subscriptions s = Subscriptions.withDefaultLimits();
    assertNotNull(s.subscribe(List.of(""), null).error());
    assertNotNull(s.subscribe(List.of("x".repeat(1025)), null).error());
    assertNotNull(s.subscribe(List.of(), "é".repeat(513)).error(), "limit is in UTF-8 bytes");
    assertNull(s.subscribe(List.of("x".repeat(1024)), null).error());
    assertNull(s.subscribe(List.of(), "").error(), "the empty prefix is every key");
  }

  /** Property: limits, what each call reports, and the keys and prefixes held agree with a set model. */
  @Test
  void randomOperationsMatchAModel() {
    Random random = new Random(7);
    String[] alphabet = {"a", "b", "ab", "ba", "a/", "b/", "", "a/b", "a/b/c", "é"};
    for (int round = 0; round < 100; round++) {
      Subscriptions s = new Subscriptions(6, 3);
      Set<String> keys = new HashSet<>();
      Set<String> prefixes = new HashSet<>();
      for (int step = 0; step < 200; step++) {
        List<String> ks = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          String k = alphabet[random.nextInt(alphabet.length)];
          if (!k.isEmpty()) {
            ks.add(k);
          }
        }
        String prefix = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : null;
        if (random.nextInt(3) > 0) {
          Subscriptions.Result r = s.subscribe(ks, prefix);
          Set<String> newKeys = new HashSet<>(keys);
          newKeys.addAll(ks);
          boolean fits = newKeys.size() <= 6 && (prefix == null || prefixes.contains(prefix) || prefixes.size() < 3);
          assertEquals(fits, r.error() == null, "limits");
          if (fits) {
            keys.addAll(ks);
            if (prefix != null) {
              prefixes.add(prefix);
            }
          }
        } else {
          Subscriptions.Removed removed = s.unsubscribe(ks, prefix);
          Set<String> wasThere = new HashSet<>(ks);
          wasThere.retainAll(keys);
          assertEquals(wasThere, new HashSet<>(removed.keys()), "unsubscribe reports the keys it removed");
          assertEquals(prefix != null && prefixes.contains(prefix) ? prefix : null, removed.prefix());
          ks.forEach(keys::remove);
          if (prefix != null) {
            prefixes.remove(prefix);
          }
        }
        assertEquals(keys, new HashSet<>(s.keys()));
        assertEquals(prefixes, new HashSet<>(s.prefixes()));
      }
    }
  }
}
