package io.ringkv.storage;

import io.ringkv.metrics.StoreMetrics;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The storage engine's own figures as gauges ({@code ringkv_storage_bloom_useful}, ...), read
 * when {@code /metrics} is scraped. One {@link StorageEngine#stats()} sample serves every gauge of
 * a scrape (it is kept for a second), so a scrape costs one sample, and requests cost nothing.
 * Only what the engine reports is registered: LevelDB has no bloom filter, no stall or pending
 * compaction figures.
 */
public final class EngineMeters {

  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final StorageEngine engine;
  private volatile EngineStats last = EngineStats.NONE;
  private volatile long lastNanos;

  private EngineMeters(StorageEngine engine) {
    this.engine = engine;
  }

  /** Registers a gauge for each figure the engine reports now. */
  public static void register(StoreMetrics metrics, StorageEngine engine) {
    EngineMeters meters = new EngineMeters(engine);
    EngineStats now = meters.refresh();
    meters.gauge(metrics, now, "ringkv.storage.gets", "Point reads asked of the storage engine", EngineStats::gets);
    meters.gauge(metrics, now, "ringkv.storage.table.reads",
        "Tables a point read looked into (their bloom filter could not rule the key out)", EngineStats::tableReads);
    meters.gauge(metrics, now, "ringkv.storage.table.reads.per.get",
        "Tables looked into per point read, since the node started", EngineStats::tableReadsPerGet);
    meters.gauge(metrics, now, "ringkv.storage.bloom.checked", "Bloom filter probes by point reads",
        EngineStats::bloomChecked);
    meters.gauge(metrics, now, "ringkv.storage.bloom.useful",
        "Bloom filter probes that ruled a table out (a table read saved)", EngineStats::bloomUseful);
    meters.gauge(metrics, now, "ringkv.storage.user.write.bytes", "Key and value bytes written to the storage engine",
        EngineStats::userBytesWritten);
    meters.gauge(metrics, now, "ringkv.storage.table.write.bytes",
        "Bytes written to tables by memtable flushes and compactions", EngineStats::tableBytesWritten);
    meters.gauge(metrics, now, "ringkv.storage.write.amplification",
        "Table bytes written per key and value byte, since the node started (the log comes on top)",
        EngineStats::writeAmplification);
    meters.gauge(metrics, now, "ringkv.storage.compaction.read.bytes", "Bytes compactions read from tables",
        EngineStats::compactionBytesRead);
    meters.gauge(metrics, now, "ringkv.storage.compaction.pending.bytes",
        "The engine's estimate of the bytes compaction still has to rewrite", EngineStats::pendingCompactionBytes);
    meters.gauge(metrics, now, "ringkv.storage.stall.seconds",
        "Time writes were slowed down or stopped for compaction to catch up", s -> s.stallMicros() < 0
            ? EngineStats.UNREPORTED : s.stallMicros() / 1e6);
    meters.gauge(metrics, now, "ringkv.storage.table.bytes", "Bytes of live tables on disk", EngineStats::tableBytes);
  }

  private void gauge(StoreMetrics metrics, EngineStats now, String name, String description,
      ToDoubleFunction<EngineStats> field) {
    if (field.applyAsDouble(now) >= 0) {
      // NaN while the engine is closed (it then reports nothing).
      metrics.gauge(name, description, () -> {
        double v = field.applyAsDouble(sample());
        return v < 0 ? Double.NaN : v;
      });
    }
  }

  private EngineStats sample() {
    return System.nanoTime() - lastNanos < MAX_AGE_NANOS ? last : refresh();
  }

  private EngineStats refresh() {
    EngineStats s = engine.stats();
    last = s;
    lastNanos = System.nanoTime();
    return s;
  }
}
