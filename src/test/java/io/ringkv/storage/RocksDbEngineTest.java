package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RocksDB honours the engine contract, and its bloom filters spare absent keys their table reads. */
class RocksDbEngineTest extends PersistentEngineContractTest {

  @Override
  protected StorageEngine open(Path dir) throws IOException {
    return RocksDbEngine.open(dir, RocksDbSettings.defaults());
  }

  @Test
  void namesItself() {
    assertEquals("rocksdb", engine.name());
  }

  /**
   * Keys k00000..k19998 (even numbers) in tables; reads of the odd numbers fall inside every
   * table's key range, so only the filter can rule the tables out.
   */
  @Test
  void bloomFiltersSpareAbsentKeysTheirTableReads() {
    fillEvenKeys(engine);
    EngineStats before = engine.stats();
    for (int i = 1; i < 20_000; i += 20) {
      assertNull(engine.get(key(i)));
    }
    EngineStats absent = delta(before, engine.stats());
    assertEquals(1000, absent.gets());
    assertTrue(absent.bloomChecked() >= 1000, "every absent read probed a filter: " + absent);
    assertTrue(absent.bloomUseful() >= 0.9 * absent.bloomChecked(), "the filters ruled the tables out: " + absent);
    assertTrue(absent.tableReads() <= 100, "about 1% false positives at 10 bits per key: " + absent);

    EngineStats beforePresent = engine.stats();
    for (int i = 0; i < 20_000; i += 20) {
      assertTrue(engine.get(key(i)) != null);
    }
    EngineStats present = delta(beforePresent, engine.stats());
    assertTrue(present.tableReads() >= 1000, "a present key is read from its table: " + present);
  }

  @Test
  void withoutFiltersNothingIsReportedAboutThem(@org.junit.jupiter.api.io.TempDir Path other) throws IOException {
    try (RocksDbEngine unfiltered = RocksDbEngine.open(other, new RocksDbSettings(1 << 20, 64 << 10, 4096, true, 0))) {
      fillEvenKeys(unfiltered);
      assertNull(unfiltered.get(key(1)));
      EngineStats stats = unfiltered.stats();
      assertEquals(EngineStats.UNREPORTED, stats.bloomChecked());
      assertEquals(EngineStats.UNREPORTED, stats.tableReads());
      assertTrue(stats.tableBytes() > 0, stats.toString());
    }
  }

  private static void fillEvenKeys(StorageEngine target) {
    for (int batch = 0; batch < 10; batch++) {
      List<Mutation> mutations = new ArrayList<>();
      for (int i = batch * 2000; i < (batch + 1) * 2000; i += 2) {
        mutations.add(Mutation.put(key(i), new byte[100]));
      }
      target.write(mutations, false);
    }
    target.compact();
  }

  private static byte[] key(int i) {
    return b(String.format("k%05d", i));
  }

  private static EngineStats delta(EngineStats a, EngineStats b) {
    return new EngineStats(b.gets() - a.gets(), b.tableReads() - a.tableReads(), b.bloomChecked() - a.bloomChecked(),
        b.bloomUseful() - a.bloomUseful(), 0, 0, 0, 0, 0, 0);
  }
}
