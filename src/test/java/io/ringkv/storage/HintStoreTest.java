package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.version.ConflictMode;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hints on a real LevelDB: kept, read, paged, bounded, deleted once delivered, counted across restarts. */
class HintStoreTest {
  @TempDir
  Path dir;

  private static SiblingSet version(String actor, long counter, String value) {
    return SiblingSet.of(List.of(new Version(new Dot(actor, counter), VersionVector.empty(), counter, false,
        "text/plain", value.getBytes(StandardCharsets.UTF_8))));
  }

  private static byte[] key(int i) {
    return ("k" + i).getBytes(StandardCharsets.UTF_8);
  }

  private ReplicaStore open(long maxHintBytes) throws Exception {
    return new ReplicaStore("n4", LevelDbEngine.open(dir, LevelDbSettings.defaults()), RowCache.ofBytes(1 << 20),
        false, ConflictMode.SIBLINGS, maxHintBytes);
  }

  @Test
  void keepsMergesPagesAndCountsHintsPerTarget() throws Exception {
    try (ReplicaStore store = open(1 << 20)) {
      HintStore hints = store.hints();
      for (int i = 0; i < 10; i++) {
        assertEquals(HintStore.Outcome.STORED, hints.merge("n2", i % 3, key(i), version("n1", i + 1, "v" + i)).get());
      }
      hints.merge("n3", 0, key(0), version("n1", 1, "v0")).get();
      // A concurrent version of the same key for the same target becomes a sibling of the hint.
      hints.merge("n2", 0, key(0), version("n5", 1, "other")).get();
      // The same version again changes nothing.
      hints.merge("n2", 0, key(0), version("n5", 1, "other")).get();
      assertEquals(Map.of("n2", 11L, "n3", 1L), hints.pending());
      assertEquals(2, hints.read("n2", 0, key(0)).versions().size());
      assertEquals(0, hints.read("n2", 1, key(0)).versions().size(), "another partition, another key");

      List<HintStore.Hint> all = new ArrayList<>();
      HintStore.Hint after = null;
      List<HintStore.Hint> page;
      while (!(page = hints.page("n2", after, 4)).isEmpty()) {
        all.addAll(page);
        after = page.get(page.size() - 1);
      }
      assertEquals(10, all.size(), "every key once, in pages");
      assertTrue(all.stream().allMatch(h -> h.target().equals("n2")));
      assertEquals(1, hints.page("n3", null, 100).size(), "a target's hints are its own range");
    }
  }

  @Test
  void deletesADeliveredHintOnlyIfNothingNewArrivedForIt() throws Exception {
    try (ReplicaStore store = open(1 << 20)) {
      HintStore hints = store.hints();
      hints.merge("n2", 0, key(1), version("n1", 1, "a")).get();
      hints.merge("n2", 0, key(2), version("n1", 2, "b")).get();
      List<HintStore.Hint> page = hints.page("n2", null, 10);
      // A newer version arrives for key 1 after the page was read.
      hints.merge("n2", 0, key(1), version("n6", 1, "c")).get();
      assertFalse(hints.deleteDelivered(page.get(0)).get(), "changed since delivery: kept");
      assertTrue(hints.deleteDelivered(page.get(1)).get());
      assertEquals(Map.of("n2", 2L), hints.pending());
      assertEquals(1, hints.delivered());
      assertEquals(1, hints.page("n2", null, 10).size());
    }
  }

  @Test
  void anExpiredHintIsDroppedNotDeliveredOnlyIfUnchanged() throws Exception {
    try (ReplicaStore store = open(1 << 20)) {
      HintStore hints = store.hints();
      hints.merge("n2", 0, key(1), version("n1", 1, "old")).get();
      hints.merge("n2", 0, key(2), version("n1", 2, "old too")).get();
      List<HintStore.Hint> page = hints.page("n2", null, 10);
      hints.merge("n2", 0, key(1), version("n6", 1, "new")).get();
      assertFalse(hints.expire(page.get(0)).get(), "a version arrived since: kept");
      assertTrue(hints.expire(page.get(1)).get());
      assertEquals(1, hints.dropped());
      assertEquals(0, hints.delivered());
      assertEquals(Map.of("n2", 2L), hints.pending());
    }
  }

  @Test
  void dropsHintsAboveTheBoundAndCountsThem() throws Exception {
    try (ReplicaStore store = open(600)) {
      HintStore hints = store.hints();
      int stored = 0;
      int dropped = 0;
      for (int i = 0; i < 50; i++) {
        if (hints.merge("n2", 0, key(i), version("n1", i + 1, "value-" + i)).get() == HintStore.Outcome.STORED) {
          stored++;
        } else {
          dropped++;
        }
      }
      assertTrue(stored > 0 && dropped > 0, stored + " stored, " + dropped + " dropped");
      assertTrue(hints.pendingBytes() <= 600, "bytes " + hints.pendingBytes());
      assertEquals(dropped, hints.dropped());
      assertEquals(stored, hints.page("n2", null, 1000).size(), "a dropped hint is not kept");
    }
  }

  @Test
  void pendingHintsAreCountedAgainAfterARestart() throws Exception {
    long bytes;
    try (ReplicaStore store = open(1 << 20)) {
      for (int i = 0; i < 5; i++) {
        store.hints().merge("n2", 3, key(i), version("n1", i + 1, "v")).get();
      }
      bytes = store.hints().pendingBytes();
    }
    try (ReplicaStore store = open(1 << 20)) {
      assertEquals(Map.of("n2", 5L), store.hints().pending());
      assertEquals(bytes, store.hints().pendingBytes());
    }
  }
}
