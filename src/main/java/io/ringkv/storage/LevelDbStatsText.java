package io.ringkv.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the table LevelDB prints for its {@code leveldb.stats} property:
 *
 * <pre>
 *                                Compactions
 * Level  Files Size(MB) Time(sec) Read(MB) Write(MB)
 * --------------------------------------------------
 *   0        7        0         1        0         5
 *   1        3        5         1       57        57
 * </pre>
 *
 * One row per level that has files or compaction history; sizes in whole MiB (LevelDB rounds them),
 * so figures below 1 MiB read as 0. "Write" includes memtable flushes, whatever level their table
 * lands on. Pure text parsing, no I/O.
 */
final class LevelDbStatsText {

  private static final Pattern ROW = Pattern.compile(
      "(?m)^\\s*(\\d+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s*$");
  private static final double MIB = 1 << 20;

  /** Sums over all levels, in bytes. */
  record Totals(long files, long tableBytes, long compactionBytesRead, long tableBytesWritten) {}

  private LevelDbStatsText() {}

  /**
   * The totals of the rows found (zeros for a table without rows: a new database); {@code null}
   * when the text has no such table (an engine that does not report it).
   */
  static Totals parse(String text) {
    if (text == null || !text.contains("Level") || !text.contains("Write(MB)")) {
      return null;
    }
    Matcher row = ROW.matcher(text);
    long files = 0;
    double sizeMb = 0;
    double readMb = 0;
    double writeMb = 0;
    while (row.find()) {
      files += Long.parseLong(row.group(2));
      sizeMb += Double.parseDouble(row.group(3));
      readMb += Double.parseDouble(row.group(5));
      writeMb += Double.parseDouble(row.group(6));
    }
    return new Totals(files, bytes(sizeMb), bytes(readMb), bytes(writeMb));
  }

  private static long bytes(double mib) {
    return Math.round(mib * MIB);
  }
}
