package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  @Test
  void expiresDueDeadlinesOnceInDeadlineOrderPerTimeout() {
    Deadlines d = new Deadlines();
    List<String> fired = new ArrayList<>();
    d.add(0, 100, () -> fired.add("a"));
    d.add(10, 100, () -> fired.add("b"));
    d.add(20, 50, () -> fired.add("c"));
    assertEquals(0, d.expire(69));
    assertEquals(1, d.expire(70));
    assertEquals(List.of("c"), fired);
    assertEquals(2, d.expire(110));
    assertEquals(List.of("c", "a", "b"), fired);
    assertEquals(0, d.expire(10_000));
    assertEquals(0, d.size());
  }

  @Test
  void aCancelledDeadlineNeverFiresAndCancellingTwiceIsHarmless() {
    Deadlines d = new Deadlines();
    List<String> fired = new ArrayList<>();
    Deadlines.Entry a = d.add(0, 100, () -> fired.add("a"));
    Deadlines.Entry b = d.add(1, 100, () -> fired.add("b"));
    d.add(2, 100, () -> fired.add("c"));
    b.cancel();
    b.cancel();
    assertEquals(2, d.size());
    assertEquals(100, d.earliestMs());
    a.cancel();
    assertEquals(102, d.earliestMs());
    d.expire(500);
    assertEquals(List.of("c"), fired);
    a.cancel(); // after expiry of others: still nothing
    assertEquals(Long.MAX_VALUE, d.earliestMs());
  }

  @Test
  void anExpiryMayScheduleAndCancelOthers() {
    Deadlines d = new Deadlines();
    List<String> fired = new ArrayList<>();
    Deadlines.Entry[] later = new Deadlines.Entry[1];
    later[0] = d.add(0, 300, () -> fired.add("later"));
    d.add(0, 100, () -> {
      fired.add("first");
      later[0].cancel();
      d.add(100, 100, () -> fired.add("scheduled"));
    });
    d.expire(150);
    assertEquals(List.of("first"), fired);
    d.expire(1_000);
    assertEquals(List.of("first", "scheduled"), fired);
    assertEquals(0, d.size());
  }

  /** Random adds, cancels and sweeps against a plain model: every pending deadline fires exactly once, when due. */
  @Test
  void agreesWithASimpleModelOnRandomOperations() {
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      Deadlines d = new Deadlines();
      Map<Integer, Long> modelPending = new HashMap<>();
      Map<Integer, Deadlines.Entry> entries = new HashMap<>();
      List<Integer> fired = new ArrayList<>();
      long now = 0;
      int next = 0;
      for (int step = 0; step < 300; step++) {
        int op = random.nextInt(10);
        if (op < 5) {
          int id = next++;
          long timeout = new long[] {10, 50, 200, 5_000}[random.nextInt(4)];
          entries.put(id, d.add(now, timeout, () -> fired.add(id)));
          modelPending.put(id, now + timeout);
        } else if (op < 7 && !entries.isEmpty()) {
          int id = new ArrayList<>(entries.keySet()).get(random.nextInt(entries.size()));
          entries.get(id).cancel();
          modelPending.remove(id);
        } else {
          now += random.nextInt(120);
          fired.clear();
          d.expire(now);
          long at = now;
          List<Integer> due = modelPending.entrySet().stream().filter(e -> e.getValue() <= at).map(Map.Entry::getKey)
              .sorted().toList();
          assertEquals(due, fired.stream().sorted().toList(), "trial " + trial + " step " + step);
          due.forEach(modelPending::remove);
        }
        assertEquals(modelPending.size(), d.size());
        long earliest = modelPending.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        assertEquals(earliest, d.earliestMs());
      }
    }
  }
}
