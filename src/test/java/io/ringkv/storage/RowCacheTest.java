package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RowCacheTest {

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void aDisabledCacheAlwaysReadsTheEngine() {
    RowCache cache = RowCache.ofBytes(0);
    assertFalse(cache.enabled());
    cache.committed(b("k"), b("v"));
    assertNull(cache.lookup(b("k")));
    assertEquals(3, engineReadsForThreeLoads(cache));
  }

  @Test
  void committedRecordsAndKnownAbsenceAreHits() {
    RowCache cache = RowCache.ofBytes(1 << 20);
    assertNull(cache.lookup(b("k")));
    byte[] record = b("v1");
    cache.committed(b("k"), record);
    assertSame(record, cache.lookup(b("k")).record(), "looked up by content, not by array identity");
    cache.committed(b("k"), null);
    RowCache.Slot deleted = cache.lookup(b("k"));
    assertNotNull(deleted, "a deletion is known too");
    assertNull(deleted.record());
    cache.invalidate(b("k"));
    assertNull(cache.lookup(b("k")));
    assertEquals(2, cache.hits());
    assertEquals(2, cache.misses());
  }

  @Test
  void aLoadIsCachedAndReadsTheEngineOnce() {
    RowCache cache = RowCache.ofBytes(1 << 20);
    assertEquals(1, engineReadsForThreeLoads(cache));
    assertArrayEquals(b("stored"), cache.lookup(b("k")).record());
    assertNull(cache.load(b("missing"), k -> null));
    assertNull(cache.lookup(b("missing")).record(), "absence is cached as well");
  }

  /** The race the placeholder exists for: a commit lands between a reader's engine read and its fill. */
  @Test
  void aRecordReadBeforeACommitIsNeverCached() {
    RowCache cache = RowCache.ofBytes(1 << 20);
    byte[] read = cache.load(b("k"), k -> {
      byte[] stale = b("old");
      cache.committed(k, b("new")); // the writer commits while the reader holds the old record
      return stale;
    });
    assertArrayEquals(b("old"), read, "the reader itself answers with what it read");
    assertArrayEquals(b("new"), cache.lookup(b("k")).record(), "but the cache keeps the commit");
  }

  @Test
  void theCacheStaysWithinItsBytes() {
    long max = 64 * 1024;
    RowCache cache = RowCache.ofBytes(max);
    for (int i = 0; i < 10_000; i++) {
      cache.committed(b("key-" + i), new byte[100]);
    }
    cache.cleanUp();
    assertTrue(cache.weightedBytes() <= max, cache.weightedBytes() + " > " + max);
    assertTrue(cache.weightedBytes() > max / 2, "and it is used: " + cache.weightedBytes());
    assertEquals(RowCache.ENTRY_OVERHEAD_BYTES + 5 + 100, RowCache.weight(b("key-1"), new byte[100]));
  }

  /** If an in-flight mark could be evicted, a reader could cache the record the commit replaces. */
  @Test
  void aKeyInFlightSurvivesEvictionPressure() {
    RowCache cache = RowCache.ofBytes(16 * 1024);
    cache.beginCommit(b("k"));
    for (int i = 0; i < 5_000; i++) {
      byte[] other = b("hot-" + (i % 500));
      cache.committed(other, new byte[32]);
      cache.lookup(other);
    }
    cache.cleanUp();
    assertArrayEquals(b("old"), cache.load(b("k"), k -> b("old")), "the engine has not got the new record yet");
    assertNull(cache.lookup(b("k")), "and that old record was not cached");
    cache.committed(b("k"), b("new"));
    RowCache.Slot committed = cache.lookup(b("k"));
    assertNotNull(committed, "the key kept its place through the eviction pressure");
    assertArrayEquals(b("new"), committed.record());
  }

  /**
   * Random commits (some failing), plain writes, loads, and loads that a commit overtakes or
   * straddles, over a few keys, against a model engine, with evictions. At every step, also in the
   * middle of a commit, every hit equals what the engine holds at that moment: so a read can never
   * see an older record than one before it.
   */
  @Test
  void hitsAlwaysEqualTheEngineUnderRandomInterleavings() {
    for (int seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      RowCache cache = RowCache.ofBytes(random.nextBoolean() ? 1 << 20 : 4 * (RowCache.ENTRY_OVERHEAD_BYTES + 16));
      Map<String, byte[]> engine = new HashMap<>();
      Runnable check = () -> {
        for (int k = 0; k < 6; k++) {
          RowCache.Slot hit = cache.lookup(b("k" + k));
          if (hit != null) {
            assertArrayEquals(engine.get("k" + k), hit.record(), "key k" + k);
          }
        }
      };
      for (int step = 0; step < 300; step++) {
        String key = "k" + random.nextInt(6);
        byte[] value = random.nextInt(5) == 0 ? null : b(key + "@" + seed + "." + step);
        Runnable commit = () -> {
          cache.beginCommit(b(key));
          check.run();
          put(engine, key, value);
          check.run();
          cache.committed(b(key), value);
        };
        switch (random.nextInt(6)) {
          case 0 -> commit.run();
          case 1 -> { // a failed write: nothing reaches the engine
            cache.beginCommit(b(key));
            check.run();
            cache.invalidate(b(key));
          }
          case 2 -> { // a plain write, which the cache does not keep
            cache.beginCommit(b(key));
            put(engine, key, value);
            check.run();
            cache.invalidate(b(key));
          }
          case 3 -> assertArrayEquals(engine.get(key), cache.load(b(key), k -> engine.get(key)));
          case 4 -> cache.load(b(key), k -> { // the commit overtakes the engine read
            byte[] stale = engine.get(key);
            commit.run();
            check.run();
            return stale;
          });
          default -> { // the commit began before the read and ends after it
            cache.beginCommit(b(key));
            for (int i = 0; i < 20; i++) { // other keys push everything evictable out
              cache.committed(b("filler-" + random.nextInt(1000)), new byte[16]);
            }
            cache.cleanUp();
            cache.load(b(key), k -> engine.get(key));
            check.run();
            put(engine, key, value);
            check.run();
            cache.committed(b(key), value);
          }
        }
        check.run();
      }
    }
  }

  private static void put(Map<String, byte[]> engine, String key, byte[] value) {
    if (value == null) {
      engine.remove(key);
    } else {
      engine.put(key, value);
    }
  }

  /** Loads key "k" three times from an engine that holds "stored"; how often the engine was read. */
  private static int engineReadsForThreeLoads(RowCache cache) {
    AtomicInteger engineReads = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(b("stored"), cache.load(b("k"), k -> {
        engineReads.incrementAndGet();
        return b("stored");
      }));
    }
    return engineReads.get();
  }
}
