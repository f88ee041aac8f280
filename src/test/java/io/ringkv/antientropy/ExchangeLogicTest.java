package io.ringkv.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.merkle.TreeShape;
import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pure parts of an exchange: the tree descent, the key diff and the byte budget. */
class ExchangeLogicTest {

  @Test
  void descentAsksOnlyForChildrenOfDifferingNodes() {
    TreeShape shape = new TreeShape(4, 3);
    assertArrayEquals(new int[] {0, 1, 2, 3}, TreeWalk.children(shape, new int[] {0}));
    assertArrayEquals(new int[] {8, 9, 10, 11, 20, 21, 22, 23}, TreeWalk.children(shape, new int[] {2, 5}));
    assertArrayEquals(new int[] {9, 22}, TreeWalk.differing(new int[] {8, 9, 21, 22}, new long[] {1, 2, 3, 4},
        new long[] {1, 7, 3, 5}));
    assertArrayEquals(new int[0], TreeWalk.differing(new int[] {1}, new long[] {5}, new long[] {5}));
  }

  @Test
  void descentStopsWhereListingTheKeysIsCheaper() {
    TreeShape shape = new TreeShape(16, 3);
    // 390 keys in a partition (100,000 over 256): 24 per level-1 node, 1.5 per level-2 node.
    assertTrue(!TreeWalk.listingIsCheaper(shape, 0, 390) && !TreeWalk.listingIsCheaper(shape, 1, 390));
    assertTrue(TreeWalk.listingIsCheaper(shape, 2, 390));
    assertTrue(TreeWalk.listingIsCheaper(shape, 0, 3), "a nearly empty partition is listed at once");
    assertTrue(!TreeWalk.listingIsCheaper(shape, 2, 40_000), "a big one is descended to the leaves");
    assertArrayEquals(new int[] {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31},
        TreeWalk.leavesUnder(shape, 2, new int[] {1}));
    assertEquals(4096, TreeWalk.leavesUnder(shape, 0, new int[] {0}).length);
    assertArrayEquals(new int[] {7}, TreeWalk.leavesUnder(shape, 3, new int[] {7}));
  }

  private static List<KeyDigest> digests(TreeMap<String, Long> keys) {
    List<KeyDigest> out = new ArrayList<>();
    keys.forEach((k, d) -> out.add(new KeyDigest(k.getBytes(StandardCharsets.UTF_8), d)));
    return out;
  }

  @Test
  void keyDiffSendsEachSideWhatItLacksAndBothWaysWhatDiffers() {
    Random random = new Random(5);
    for (int run = 0; run < 200; run++) {
      TreeMap<String, Long> mine = new TreeMap<>();
      TreeMap<String, Long> theirs = new TreeMap<>();
      for (int i = 0; i < 60; i++) {
        String key = "k" + random.nextInt(80);
        switch (random.nextInt(4)) {
          case 0 -> mine.put(key, 1L);
          case 1 -> theirs.put(key, 1L);
          case 2 -> {
            mine.put(key, 1L);
            theirs.put(key, 1L);
          }
          default -> {
            mine.put(key, 1L);
            theirs.put(key, 2L);
          }
        }
      }
      KeyDiff diff = KeyDiff.of(digests(mine), digests(theirs));
      List<String> pull = diff.pull().stream().map(String::new).toList();
      List<String> push = diff.push().stream().map(String::new).toList();
      for (String key : theirs.keySet()) {
        assertEquals(!theirs.get(key).equals(mine.get(key)), pull.contains(key), "pull " + key);
      }
      for (String key : mine.keySet()) {
        assertEquals(!mine.get(key).equals(theirs.get(key)), push.contains(key), "push " + key);
      }
      assertEquals(pull.stream().filter(k -> !theirs.containsKey(k)).count(), 0);
      assertEquals(push.stream().filter(k -> !mine.containsKey(k)).count(), 0);
    }
  }

  @Test
  void keysCompareAsUnsignedBytes() {
    List<KeyDigest> mine = List.of(new KeyDigest(new byte[] {1}, 1), new KeyDigest(new byte[] {(byte) 0xff}, 1));
    List<KeyDigest> theirs = List.of(new KeyDigest(new byte[] {(byte) 0xff}, 1));
    KeyDiff diff = KeyDiff.of(mine, theirs);
    assertEquals(1, diff.push().size());
    assertArrayEquals(new byte[] {1}, diff.push().get(0));
    assertTrue(diff.pull().isEmpty());
  }

  @Test
  void budgetHoldsTheRateOverTime() {
    long now = 0;
    ByteBudget budget = new ByteBudget(1_000_000, now);
    long sent = 0;
    // A sender that always waits as told sends about a second's burst plus the rate over 10 s.
    while (now < 10_000) {
      long wait = budget.waitMs(now);
      if (wait > 0) {
        now += wait;
        continue;
      }
      budget.charge(64 * 1024, now);
      sent += 64 * 1024;
    }
    assertTrue(sent >= 10_000_000 && sent <= 11_200_000, "sent " + sent);
    assertEquals(0, new ByteBudget(1000, 0).charge(1000, 0));
    assertEquals(1000, new ByteBudget(1000, 0).charge(2000, 0), "a 1000-byte debt at 1000 B/s is a second");
  }
}
