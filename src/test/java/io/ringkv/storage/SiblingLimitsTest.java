package io.ringkv.storage;

import static io.ringkv.storage.SiblingLimits.Admission.ACCEPT;
import static io.ringkv.storage.SiblingLimits.Admission.ACCEPT_AND_WARN;
import static io.ringkv.storage.SiblingLimits.Admission.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sibling bounds: the rule, one warning per key per minute, bounded memory. Time is an input. */
class SiblingLimitsTest {
  static final long MINUTE = SiblingLimits.WARN_INTERVAL_MS;

  @Test
  void theRuleWarnsAboveTheWarningThresholdAndRefusesAboveTheMaximum() {
    SiblingLimits limits = new SiblingLimits(25, 100);
    assertEquals(ACCEPT, limits.rule(1));
    assertEquals(ACCEPT, limits.rule(25));
    assertEquals(ACCEPT_AND_WARN, limits.rule(26));
    assertEquals(ACCEPT_AND_WARN, limits.rule(100));
    assertEquals(REFUSE, limits.rule(101));
    SiblingLimits equal = new SiblingLimits(1, 1);
    assertEquals(ACCEPT, equal.rule(1));
    assertEquals(REFUSE, equal.rule(2), "refusal wins over the warning");
  }

  @Test
  void aKeyIsWarnedAboutOnceAMinute() {
    SiblingLimits limits = new SiblingLimits(2, 10);
    ByteKey hot = key("hot");
    assertEquals(ACCEPT, limits.admit(hot, 2, 0));
    assertEquals(ACCEPT_AND_WARN, limits.admit(hot, 3, 1_000));
    for (long t = 1_001; t < 1_000 + MINUTE; t += 997) {
      assertEquals(ACCEPT, limits.admit(hot, 4, t), "within the minute at " + t);
    }
    assertEquals(1, limits.warnings());
    assertEquals(ACCEPT_AND_WARN, limits.admit(hot, 4, 1_000 + MINUTE));
    assertEquals(ACCEPT, limits.admit(hot, 4, 1_000 + MINUTE + 1));
    assertEquals(2, limits.warnings());
    // Another key has its own minute.
    assertEquals(ACCEPT_AND_WARN, limits.admit(key("other"), 3, 1_000 + MINUTE + 2));
    assertEquals(3, limits.warnings());
  }

  @Test
  void refusalsAreCountedEveryTimeAndNeverWarn() {
    SiblingLimits limits = new SiblingLimits(2, 3);
    ByteKey k = key("k");
    for (int i = 0; i < 5; i++) {
      assertEquals(REFUSE, limits.admit(k, 4, i));
    }
    assertEquals(5, limits.refusals());
    assertEquals(0, limits.warnings());
    assertEquals(ACCEPT_AND_WARN, limits.admit(k, 3, 10), "a refusal is not a warning");
  }

  @Test
  void memoryOfWarnedKeysIsBounded() {
    SiblingLimits limits = new SiblingLimits(1, 100, 50);
    for (int i = 0; i < 1_000; i++) {
      assertEquals(ACCEPT_AND_WARN, limits.admit(key("k" + i), 2, i));
      assertTrue(limits.trackedKeys() <= 50, "tracked " + limits.trackedKeys());
    }
    // Warnings older than a minute are forgotten as time passes, however few keys there are.
    limits.admit(key("late"), 2, 999 + MINUTE);
    assertEquals(1, limits.trackedKeys());
  }

  /** Property: against a model that remembers every key forever, on a key space that fits the bound. */
  @Test
  void agreesWithAnUnboundedModelWhileTheKeysFit() {
    Random random = new Random(42);
    SiblingLimits limits = new SiblingLimits(5, 20, 64);
    Map<String, Long> model = new HashMap<>();
    long now = 0;
    long expectedWarnings = 0;
    for (int step = 0; step < 100_000; step++) {
      now += random.nextInt(2_000);
      String k = "k" + random.nextInt(64);
      int siblings = 1 + random.nextInt(25);
      SiblingLimits.Admission expected;
      if (siblings > 20) {
        expected = REFUSE;
      } else if (siblings > 5 && (model.get(k) == null || now - model.get(k) >= MINUTE)) {
        expected = ACCEPT_AND_WARN;
        model.put(k, now);
        expectedWarnings++;
      } else {
        expected = ACCEPT;
      }
      assertEquals(expected, limits.admit(key(k), siblings, now), "step " + step);
    }
    assertEquals(expectedWarnings, limits.warnings());
  }

  @Test
  void badBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SiblingLimits(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new SiblingLimits(11, 10));
    assertThrows(IllegalArgumentException.class, () -> new SiblingLimits(1, 10, 0));
  }

  private static ByteKey key(String k) {
    return new ByteKey(k.getBytes(StandardCharsets.UTF_8));
  }
}
