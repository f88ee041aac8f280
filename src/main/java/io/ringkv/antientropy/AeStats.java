package io.ringkv.antientropy;

import io.ringkv.merkle.PartitionTrees;
import io.ringkv.merkle.RootAgreement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What anti-entropy did on this node: per partition (the peers it last synced with, when, keys
 * and bytes both ways), totals since start, and the last pass. Updated on the anti-entropy
 * verticle's event loop only; the totals are volatile so meters may read them from anywhere.
 */
final class AeStats {
  private final Map<Integer, PartitionStats> partitions = new TreeMap<>();
  private volatile long keysSent;
  private volatile long keysReceived;
  private volatile long keysChanged;
  private volatile long bytes;
  private volatile long tombstonesRemoved;
  private volatile long passes;
  private Pass current;
  private Pass last;

  private static final class PartitionStats {
    Set<String> peers = new LinkedHashSet<>();
    Long lastSyncMs;
    long keysSent;
    long keysReceived;
    long bytes;
  }

  /** One pass: when it ran and what it moved. */
  static final class Pass {
    final long startedMs;
    long finishedMs = -1;
    int partitions;
    int exchanges;
    int differing;
    int skipped;
    long keysSent;
    long keysReceived;
    long keysChanged;
    long bytes;
    long tombstonesRemoved;

    Pass(long startedMs) {
      this.startedMs = startedMs;
    }

    JsonObject toJson() {
      return new JsonObject().put("startedMs", startedMs).put("finishedMs", finishedMs < 0 ? null : finishedMs)
          .put("durationMs", finishedMs < 0 ? null : finishedMs - startedMs).put("partitions", partitions)
          .put("exchanges", exchanges).put("differing", differing).put("skipped", skipped)
          .put("keysSent", keysSent).put("keysReceived", keysReceived).put("keysRepaired", keysSent + keysChanged)
          .put("bytesExchanged", bytes).put("tombstonesRemoved", tombstonesRemoved);
    }
  }

  private PartitionStats of(int partition) {
    return partitions.computeIfAbsent(partition, p -> new PartitionStats());
  }

  void passStarted(long nowMs, int partitionCount) {
    current = new Pass(nowMs);
    current.partitions = partitionCount;
  }

  void passFinished(long nowMs) {
    current.finishedMs = nowMs;
    last = current;
    current = null;
    passes++;
  }

  boolean running() {
    return current != null;
  }

  /** The outcome of one of this node's exchanges (as initiator). */
  void exchanged(int partition, String peer, Exchange.Outcome outcome, long nowMs) {
    PartitionStats s = of(partition);
    s.keysSent += outcome.keysSent();
    s.keysReceived += outcome.keysReceived();
    s.bytes += outcome.bytes();
    keysSent += outcome.keysSent();
    keysReceived += outcome.keysReceived();
    keysChanged += outcome.keysChanged();
    bytes += outcome.bytes();
    if (outcome.result() != Exchange.Result.SKIPPED) {
      s.peers.remove(peer);
      s.peers.add(peer);
      s.lastSyncMs = nowMs;
    }
    if (current != null) {
      current.exchanges++;
      current.differing += outcome.result() == Exchange.Result.REPAIRED ? 1 : 0;
      current.skipped += outcome.result() == Exchange.Result.SKIPPED ? 1 : 0;
      current.keysSent += outcome.keysSent();
      current.keysReceived += outcome.keysReceived();
      current.keysChanged += outcome.keysChanged();
      current.bytes += outcome.bytes();
    }
  }

  /** Bytes of an exchange that failed half way. */
  void failedExchange(int partition, long exchangeBytes) {
    of(partition).bytes += exchangeBytes;
    bytes += exchangeBytes;
    if (current != null) {
      current.exchanges++;
      current.skipped++;
      current.bytes += exchangeBytes;
    }
  }

  /** As a peer: records sent to an initiator. */
  void sent(int partition, int keys) {
    of(partition).keysSent += keys;
    keysSent += keys;
  }

  /** As a peer: records an initiator pushed here. */
  void received(int partition, int keys) {
    of(partition).keysReceived += keys;
    keysReceived += keys;
  }

  /** As a peer: bytes of one request and its answer. */
  void bytes(int partition, long n) {
    of(partition).bytes += n;
    bytes += n;
  }

  /** Bytes of this pass's batch of root comparisons with one peer, both ways. */
  void passRootBytes(long n) {
    bytes += n;
    if (current != null) {
      current.bytes += n;
    }
  }

  /** As a peer: bytes of another node's batch of root comparisons. */
  void peerRootBytes(long n) {
    bytes += n;
  }

  void reaped(int removed) {
    tombstonesRemoved += removed;
    if (current != null) {
      current.tombstonesRemoved += removed;
    }
  }

  long keysSent() {
    return keysSent;
  }

  long keysReceived() {
    return keysReceived;
  }

  long keysRepaired() {
    return keysSent + keysChanged;
  }

  long bytesExchanged() {
    return bytes;
  }

  long tombstonesRemoved() {
    return tombstonesRemoved;
  }

  long passes() {
    return passes;
  }

  /** {@code GET /cluster/antientropy}: API.md's fields, plus each partition's root and the last pass. */
  JsonObject toJson(PartitionTrees trees, List<Integer> replicated, boolean running) {
    JsonArray list = new JsonArray();
    for (int p : replicated) {
      PartitionStats s = partitions.get(p);
      Long root = trees.root(p);
      list.add(new JsonObject().put("partition", p)
          .put("peers", new JsonArray(s == null ? List.of() : new ArrayList<>(s.peers)))
          .put("lastSyncMs", s == null ? null : s.lastSyncMs)
          .put("keysSent", s == null ? 0 : s.keysSent).put("keysReceived", s == null ? 0 : s.keysReceived)
          .put("bytesExchanged", s == null ? 0 : s.bytes)
          .put("root", root == null ? null : RootAgreement.hex(root))
          .put("keys", trees.keys(p)).put("tombstones", trees.tombstoneKeys(p)));
    }
    Pass shown = current != null ? current : last;
    return new JsonObject()
        .put("running", running)
        .put("lastPassStartedMs", shown == null ? null : shown.startedMs)
        .put("lastPassFinishedMs", last == null ? null : last.finishedMs)
        .put("totals", new JsonObject().put("keysSent", keysSent).put("keysReceived", keysReceived)
            .put("keysRepaired", keysRepaired()).put("bytesExchanged", bytes)
            .put("tombstonesRemoved", tombstonesRemoved).put("passes", passes))
        .put("lastPass", last == null ? null : last.toJson())
        .put("partitions", list);
  }

  /** What the demo page shows per node. */
  JsonObject summary() {
    return new JsonObject().put("running", current != null)
        .put("lastPassFinishedMs", last == null ? null : last.finishedMs)
        .put("lastPassDurationMs", last == null ? null : last.finishedMs - last.startedMs)
        .put("lastPassKeysRepaired", last == null ? null : last.keysSent + last.keysChanged)
        .put("keysRepaired", keysRepaired()).put("passes", passes);
  }
}
