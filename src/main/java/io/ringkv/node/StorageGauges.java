package io.ringkv.node;

import io.ringkv.metrics.StoreMetrics;
import io.ringkv.storage.EngineMeters;
import io.ringkv.storage.HintStore;
import io.ringkv.storage.ReplicaStore;
import io.ringkv.storage.RowCache;
import io.ringkv.storage.SiblingLimits;

/** The store's own meters on {@code /metrics}: group commit, hints, sibling limits, row cache, engine. */
final class StorageGauges {
  private StorageGauges() {}

  static void register(StoreMetrics metrics, ReplicaStore store) {
    metrics.gauge("ringkv.storage.batches", "Storage engine write batches (group commits)", store.writer()::batchesWritten);
    metrics.gauge("ringkv.storage.updates", "Key updates written through group commit", store.writer()::updatesWritten);
    metrics.gauge("ringkv.storage.queue", "Updates waiting for the storage writer", store.writer()::queued);
    metrics.gauge("ringkv.storage.failed.writes",
        "Storage engine write batches that failed (the node's next version then takes a new actor name)",
        store.writer()::failedWrites);
    HintStore hints = store.hints();
    metrics.gauge("ringkv.hints.pending", "Hint versions this node keeps for other nodes",
        () -> hints.pending().values().stream().mapToLong(Long::longValue).sum());
    metrics.gauge("ringkv.hints.pending.bytes", "Bytes of the hints this node keeps", hints::pendingBytes);
    metrics.functionCounter("ringkv.hints.stored", "Hint versions kept for down or silent replicas", hints,
        HintStore::stored);
    metrics.functionCounter("ringkv.hints.delivered", "Hint versions handed back to their home replica", hints,
        HintStore::delivered);
    metrics.functionCounter("ringkv.hints.dropped", "Hint versions dropped because hint storage was full", hints,
        HintStore::dropped);
    SiblingLimits siblings = store.siblingLimits();
    metrics.functionCounter("ringkv.siblings.warnings",
        "Warnings about keys with more siblings than siblings-warn (at most one per key per minute)",
        siblings, SiblingLimits::warnings);
    metrics.functionCounter("ringkv.siblings.refused",
        "Writes refused (409 too_many_siblings) because they would leave more siblings than max-siblings",
        siblings, SiblingLimits::refusals);
    RowCache rows = store.rowCache();
    metrics.gauge("ringkv.storage.row.cache.bytes", "Estimated bytes held by the row cache", rows::weightedBytes);
    metrics.gauge("ringkv.storage.row.cache.hits", "Record lookups answered by the row cache", rows::hits);
    metrics.gauge("ringkv.storage.row.cache.misses", "Record lookups that read the storage engine", rows::misses);
    EngineMeters.register(metrics, store.engine());
  }
}
