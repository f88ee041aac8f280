package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DropQueueTest {
  @Test
  void keepsFifoOrderUpToCapacityThenCountsDrops() {
    DropQueue<Integer> q = new DropQueue<>(3);
    assertTrue(q.offer(1));
    assertTrue(q.offer(2));
    assertTrue(q.offer(3));
    assertFalse(q.offer(4));
    assertFalse(q.offer(5));
    assertEquals(2, q.dropped());
    assertEquals(1, q.poll());
    assertTrue(q.offer(6));
    assertEquals(2, q.takeDropped());
    assertEquals(0, q.takeDropped(), "each drop is reported once");
    assertEquals(2, q.poll());
    assertEquals(3, q.poll());
    assertEquals(6, q.poll());
    assertNull(q.poll());
    assertTrue(q.isEmpty());
  }

  @Test
  void refusesNonPositiveCapacity() {
    assertThrows(IllegalArgumentException.class, () -> new DropQueue<>(0));
  }

  /** Property: against an unbounded model, the queue never exceeds capacity and offered = polled + dropped + held. */
  @Test
  void randomOperationsMatchAModel() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int capacity = 1 + random.nextInt(20);
      DropQueue<Integer> q = new DropQueue<>(capacity);
      ArrayDeque<Integer> model = new ArrayDeque<>();
      long offered = 0;
      long polled = 0;
      long droppedReported = 0;
      for (int step = 0; step < 500; step++) {
        int op = random.nextInt(10);
        if (op < 6) {
          int v = step;
          offered++;
          boolean accepted = q.offer(v);
          assertEquals(model.size() < capacity, accepted);
          if (accepted) {
            model.addLast(v);
          }
        } else if (op < 9) {
          Integer got = q.poll();
          assertEquals(model.pollFirst(), got);
          if (got != null) {
            polled++;
          }
        } else {
          droppedReported += q.takeDropped();
        }
        assertTrue(q.size() <= capacity);
        assertEquals(model.size(), q.size());
      }
      assertEquals(offered, polled + droppedReported + q.takeDropped() + q.size());
    }
  }

  @Test
  void aFullQueueNeverAsksForTheElementAndCountsTheDrop() {
    DropQueue<Integer> q = new DropQueue<>(2);
    int[] built = {0};
    Supplier<Integer> element = () -> ++built[0];
    assertTrue(q.offer(element));
    assertTrue(q.offer(element));
    assertFalse(q.offer(element));
    assertFalse(q.offer(element));
    assertEquals(2, built[0], "only what fits is built");
    assertEquals(2, q.takeDropped());
    assertEquals(1, q.poll());
    assertTrue(q.offer(element));
    assertEquals(3, built[0]);
  }
}
