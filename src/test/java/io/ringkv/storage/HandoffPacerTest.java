package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HandoffPacerTest {
  @Test
  void neverSendsFasterThanTheRateOverTime() {
    HandoffPacer pacer = new HandoffPacer(5_000, 0);
    Random random = new Random(7);
    long now = 0;
    long sent = 0;
    while (now < 60_000) {
      int keys = 1 + random.nextInt(300);
      long wait = pacer.take(keys, now);
      if (wait == 0) {
        sent += keys;
      } else {
        now += wait;
      }
    }
    // At most one second's worth saved up front, then the rate.
    assertTrue(sent <= 5_000 + 5L * now, "sent " + sent + " in " + now + " ms");
    assertTrue(sent >= 5L * now * 0.95, "and not much slower either: " + sent);
  }

  @Test
  void backoffDoublesUpToAMaximumAndSuccessResetsIt() {
    HandoffPacer pacer = new HandoffPacer(1_000, 0);
    assertTrue(pacer.mayTry("n2", 0));
    assertEquals(1_000, pacer.failed("n2", 0));
    assertFalse(pacer.mayTry("n2", 999));
    assertTrue(pacer.mayTry("n2", 1_000));
    assertEquals(2_000, pacer.failed("n2", 1_000));
    assertEquals(4_000, pacer.failed("n2", 3_000));
    for (int i = 0; i < 10; i++) {
      pacer.failed("n2", 0);
    }
    assertEquals(HandoffPacer.MAX_BACKOFF_MS, pacer.failed("n2", 0));
    assertTrue(pacer.mayTry("n3", 0), "targets back off independently");
    pacer.succeeded("n2");
    assertTrue(pacer.mayTry("n2", 0));
    assertEquals(1_000, pacer.failed("n2", 0));
  }
}
