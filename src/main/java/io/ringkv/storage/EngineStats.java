package io.ringkv.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sample of what a storage engine reports about itself, for the node's meters. Every count is
 * cumulative since the engine was opened (a restart starts again at zero). A field is
 * {@link #UNREPORTED} where the engine does not expose it: LevelDB has no bloom filter and reports
 * neither stalls nor pending compaction work.
 *
 * @param gets point reads asked of the engine
 * @param tableReads tables whose index and data block a point read had to look into (a bloom
 *     filter that rules a table out spares one)
 * @param bloomChecked bloom filter probes by point reads
 * @param bloomUseful probes that ruled a table out (the key is certainly not in it)
 * @param userBytesWritten key and value bytes handed to the engine in write batches
 * @param tableBytesWritten bytes written to tables by memtable flushes and compactions; divided
 *     by {@code userBytesWritten} it is the write amplification (the log comes on top)
 * @param compactionBytesRead bytes compactions read from tables
 * @param pendingCompactionBytes the engine's estimate of what compaction still has to rewrite
 * @param stallMicros time writes were slowed down or stopped to let compaction catch up
 * @param tableBytes bytes of live tables on disk
 */
public record EngineStats(
    long gets,
    long tableReads,
    long bloomChecked,
    long bloomUseful,
    long userBytesWritten,
    long tableBytesWritten,
    long compactionBytesRead,
    long pendingCompactionBytes,
    long stallMicros,
    long tableBytes) {

  /** The value of a field the engine does not expose. */
  public static final long UNREPORTED = -1;

  /** Nothing reported (an engine without meters, or one that is closed). */
  public static final EngineStats NONE = new EngineStats(UNREPORTED, UNREPORTED, UNREPORTED, UNREPORTED,
      UNREPORTED, UNREPORTED, UNREPORTED, UNREPORTED, UNREPORTED, UNREPORTED);

  /** Tables read per point read (0 before the first), or {@link #UNREPORTED} when either count is. */
  public double tableReadsPerGet() {
    return ratio(tableReads, gets);
  }

  /** Table bytes written per user byte (0 before the first write), or {@link #UNREPORTED} when either count is. */
  public double writeAmplification() {
    return ratio(tableBytesWritten, userBytesWritten);
  }

  /** The reported fields by name (unreported ones left out), ratios rounded to two decimals: for tools' JSON. */
  public Map<String, Object> reported() {
    Map<String, Object> out = new LinkedHashMap<>();
    long[] values = {gets, tableReads, bloomChecked, bloomUseful, userBytesWritten, tableBytesWritten,
        compactionBytesRead, pendingCompactionBytes, stallMicros, tableBytes};
    String[] names = {"gets", "tableReads", "bloomChecked", "bloomUseful", "userBytesWritten", "tableBytesWritten",
        "compactionBytesRead", "pendingCompactionBytes", "stallMicros", "tableBytes"};
    for (int i = 0; i < values.length; i++) {
      if (values[i] != UNREPORTED) {
        out.put(names[i], values[i]);
      }
    }
    if (writeAmplification() != UNREPORTED) {
      out.put("writeAmplification", Math.round(writeAmplification() * 100) / 100.0);
    }
    return out;
  }

  private static double ratio(long part, long whole) {
    if (part < 0 || whole < 0) {
      return UNREPORTED;
    }
    return whole == 0 ? 0 : (double) part / whole;
  }
}
