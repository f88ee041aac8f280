package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LevelDbStatsTextTest {

  /** As leveldbjni 1.8 prints it. */
  private static final String STATS = """
                                     Compactions
      Level  Files Size(MB) Time(sec) Read(MB) Write(MB)
      --------------------------------------------------
        0        7        0         1        0         5
        1        3        5         1       57        57
        2        1      120         0        0         0
      """;

  @Test
  void sumsEveryLevel() {
    LevelDbStatsText.Totals t = LevelDbStatsText.parse(STATS);
    assertEquals(11, t.files());
    assertEquals(125L << 20, t.tableBytes());
    assertEquals(57L << 20, t.compactionBytesRead());
    assertEquals(62L << 20, t.tableBytesWritten());
  }

  @Test
  void aNewDatabasesTableWithoutRowsIsZero() {
    assertEquals(new LevelDbStatsText.Totals(0, 0, 0, 0),
        LevelDbStatsText.parse(STATS.substring(0, STATS.indexOf("  0 "))));
  }

  @Test
  void noTableIsNoReport() {
    assertNull(LevelDbStatsText.parse(null));
    assertNull(LevelDbStatsText.parse(""));
    assertNull(LevelDbStatsText.parse("unsupported property"));
  }

  @Test
  void fractionsAreRead() {
    String header = STATS.substring(0, STATS.indexOf("  0 "));
    LevelDbStatsText.Totals t = LevelDbStatsText.parse(header + "  3   2   0.5   1.0   1.5   2.5\n");
    assertEquals(1L << 19, t.tableBytes());
    assertEquals(3L << 19, t.compactionBytesRead());
    assertEquals(5L << 19, t.tableBytesWritten());
  }
}
