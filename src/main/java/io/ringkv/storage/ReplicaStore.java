package io.ringkv.storage;

import io.ringkv.config.RingkvConfig;
import io.ringkv.messaging.PartitionPage;
import io.ringkv.messaging.TooManySiblingsException;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's replica logic on top of the storage engine: reads, the coordinating replica's
 * versioned write, and merges of sibling sets from other replicas. Every change is a
 * read-modify-write through the {@link GroupCommitWriter}, which applies updates of one key in
 * order, so a merge never loses a concurrent write. No Vert.x types: the verticle adapts it.
 */
public final class ReplicaStore implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ReplicaStore.class.getName());
  private final StorageEngine engine;
  private final GroupCommitWriter writer;
  private final RowCache rowCache;
  private final CounterLease dots;
  private final ActorIncarnation actor;
  private final ConflictMode mode;
  private final HintStore hints;
  private final SiblingLimits siblingLimits;
  private long failuresSeen; // the writer's failedWrites() when the current actor was chosen; writer thread only
  private volatile long requestedIncarnation = -1;

  /** The group-commit writer's largest batch and longest queue. */
  public static final int WRITER_MAX_BATCH = 512;
  public static final int WRITER_MAX_QUEUED = 100_000;

  /** The result of a coordinated write: the key's sibling set after it, and the new version. */
  public record Written(SiblingSet siblings, Version version) {}

  public ReplicaStore(String nodeId, StorageEngine engine, RowCache rowCache, boolean syncWrites, ConflictMode mode) {
    this(nodeId, engine, rowCache, syncWrites, mode,
        new SiblingLimits(RingkvConfig.DEFAULT_SIBLINGS_WARN, RingkvConfig.DEFAULT_MAX_SIBLINGS),
        RingkvConfig.DEFAULT_MAX_HINT_BYTES);
  }

  public ReplicaStore(String nodeId, StorageEngine engine, RowCache rowCache, boolean syncWrites, ConflictMode mode,
      SiblingLimits siblingLimits) {
    this(nodeId, engine, rowCache, syncWrites, mode, siblingLimits, RingkvConfig.DEFAULT_MAX_HINT_BYTES);
  }

  public ReplicaStore(String nodeId, StorageEngine engine, RowCache rowCache, boolean syncWrites, ConflictMode mode,
      long maxHintBytes) {
    this(nodeId, engine, rowCache, syncWrites, mode,
        new SiblingLimits(RingkvConfig.DEFAULT_SIBLINGS_WARN, RingkvConfig.DEFAULT_MAX_SIBLINGS), maxHintBytes);
  }

  /** Opens the replica on {@code engine} (blocking: it counts the hints earlier runs left). */
  public ReplicaStore(String nodeId, StorageEngine engine, RowCache rowCache, boolean syncWrites, ConflictMode mode,
      SiblingLimits siblingLimits, long maxHintBytes) {
    this.siblingLimits = siblingLimits;
    this.engine = engine;
    this.rowCache = rowCache;
    this.writer = new GroupCommitWriter(engine, rowCache, syncWrites, WRITER_MAX_BATCH, WRITER_MAX_QUEUED);
    this.dots = new CounterLease(engine, "dot-counter", 10_000);
    this.actor = new ActorIncarnation(engine, nodeId);
    this.mode = mode;
    this.hints = new HintStore(engine, writer, rowCache, mode, maxHintBytes);
  }

  public ConflictMode mode() {
    return mode;
  }

  /** The hints this node keeps for other nodes. */
  public HintStore hints() {
    return hints;
  }

  /** The actor name this node's new versions carry (see {@link ActorIncarnation}). */
  public String actor() {
    return actor.actor();
  }

  public boolean previousShutdownClean() {
    return actor.previousShutdownClean();
  }

  /** Whether this store was created by this process (its data dir held no store before). */
  public boolean isNew() {
    return actor.isNew();
  }

  /**
   * Makes the next dots under an actor name no earlier process of this node can have used: for a
   * node that comes back with a new store although it was a member before (its data dir was
   * wiped), whose own earlier dots live on in the other replicas. Applied on the writer thread
   * before the next dot; {@code incarnation} should be unique, e.g. the current time in ms.
   */
  public void renewActorFrom(long incarnation) {
    requestedIncarnation = incarnation;
  }

  /** On the writer thread: a failed write may have lost dots already sent to other replicas. */
  private String currentActor() {
    long requested = requestedIncarnation;
    if (requested > actor.incarnation()) {
      actor.renewTo(requested);
      LOG.info(() -> "this node's store is new but the node was a member before: new versions now carry actor "
          + actor.actor());
    }
    long failed = writer.failedWrites();
    if (failed != failuresSeen) {
      actor.renew();
      failuresSeen = failed;
    }
    return actor.actor();
  }

  /** Blocking (a LevelDB get on a row-cache miss): call off the event loop. */
  public SiblingSet read(int partition, byte[] key) {
    return decode(rowCache.load(KeyLayout.dataKey(partition, key), engine::get));
  }

  /** Non-blocking: the key's sibling set if the row cache has it, else null (then {@link #read}). */
  public SiblingSet readCached(int partition, byte[] key) {
    RowCache.Slot slot = rowCache.lookup(KeyLayout.dataKey(partition, key));
    return slot == null ? null : decode(slot.record());
  }

  private static SiblingSet decode(byte[] record) {
    return record == null ? SiblingSet.empty() : SiblingSetCodec.decode(record);
  }

  /**
   * The coordinating replica's write: a new version with this node's next dot, whose past is the
   * client's context ({@code null} = blind write = empty past). A write that would leave the key
   * with more versions than {@link SiblingLimits#max()} fails with a
   * {@link TooManySiblingsException} and writes nothing.
   */
  public CompletableFuture<Written> write(int partition, byte[] key, VersionVector context, boolean tombstone,
      String contentType, byte[] value, long timestampMs) {
    return write(partition, key, context, tombstone, contentType, value, timestampMs, null);
  }

  /**
   * {@link #write(int, byte[], VersionVector, boolean, String, byte[], long)} that also completes
   * {@code applied} with the result as soon as it is known, before it is written and synced, so the
   * coordinator can replicate it while this replica syncs. If the write then fails (or the process
   * crashes first), other replicas may hold a dot this one lost: the next dot is made under a new
   * actor name ({@link ActorIncarnation}), so no later clock of this node claims the lost one.
   */
  public CompletableFuture<Written> write(int partition, byte[] key, VersionVector context, boolean tombstone,
      String contentType, byte[] value, long timestampMs, CompletableFuture<Written> applied) {
    VersionVector past = context == null ? VersionVector.empty() : context;
    Written[] result = new Written[1];
    TooManySiblingsException[] refused = new TooManySiblingsException[1];
    CompletableFuture<byte[]> appliedRecord = null;
    if (applied != null) {
      appliedRecord = new CompletableFuture<>();
      appliedRecord.whenComplete((record, err) -> {
        if (err != null || refused[0] != null) {
          applied.completeExceptionally(err != null ? err : refused[0]);
        } else {
          applied.complete(result[0]);
        }
      });
    }
    return writer.update(KeyLayout.dataKey(partition, key), old -> {
      SiblingSet current = decode(old);
      // A lease counter is unique for this node forever (also after kill -9); nextDot keeps it
      // above anything the key or the client's context already holds.
      String self = currentActor();
      long counter = Math.max(dots.next(), current.nextDot(self, past).counter());
      Version version = new Version(new Dot(self, counter), past,
          causallyLaterTimestamp(current, past, timestampMs), tombstone,
          contentType == null ? "application/octet-stream" : contentType, value == null ? new byte[0] : value);
      SiblingSet next = current.applyWrite(version, mode);
      if (!admitted(key, next.size(), timestampMs)) {
        refused[0] = new TooManySiblingsException(siblingLimits.max(), next.size());
        return old; // unchanged: nothing is written
      }
      result[0] = new Written(next, version);
      return SiblingSetCodec.encode(next);
    }, appliedRecord).thenCompose(ignored -> refused[0] != null
        ? CompletableFuture.failedFuture(refused[0]) : CompletableFuture.completedFuture(result[0]));
  }

  /** Writer thread: whether a coordinated write may leave the key with {@code siblings} versions. */
  private boolean admitted(byte[] key, int siblings, long nowMs) {
    SiblingLimits.Admission admission = siblingLimits.admit(new ByteKey(key), siblings, nowMs);
    if (admission == SiblingLimits.Admission.ACCEPT_AND_WARN) {
      LOG.warning(() -> "key " + printable(key) + " has " + siblings + " siblings (warn above "
          + siblingLimits.warnAbove() + ", refuse writes above " + siblingLimits.max()
          + "): writes without the X-Context of a read pile up as siblings; next warning for this key in a"
          + " minute at the earliest");
    }
    return admission != SiblingLimits.Admission.REFUSE;
  }

  private static String printable(byte[] key) {
    String text = new String(key, StandardCharsets.UTF_8);
    return "'" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "'";
  }

  /** The sibling bounds of coordinated writes, and how often they warned and refused. */
  public SiblingLimits siblingLimits() {
    return siblingLimits;
  }

  /**
   * Merges another replica's sibling set into this one; completes with whether this replica's
   * versions changed (anti-entropy counts the keys it repaired).
   */
  public CompletableFuture<Boolean> mergeChanged(int partition, byte[] key, SiblingSet incoming) {
    boolean[] changed = {false};
    return writer.update(KeyLayout.dataKey(partition, key), old -> {
      SiblingSet current = decode(old);
      SiblingSet merged = current.merge(incoming, mode);
      if (merged.sameVersionsAs(current)) {
        return old;
      }
      changed[0] = true;
      return SiblingSetCodec.encode(merged);
    }).thenApply(ignored -> changed[0]);
  }

  /** Merges another replica's sibling set into this one; completes with the merged set. */
  public CompletableFuture<SiblingSet> merge(int partition, byte[] key, SiblingSet incoming) {
    SiblingSet[] result = new SiblingSet[1];
    return writer.update(KeyLayout.dataKey(partition, key), old -> {
      SiblingSet current = decode(old);
      SiblingSet merged = current.merge(incoming, mode);
      result[0] = merged;
      return old != null && merged.sameVersionsAs(current) ? old : SiblingSetCodec.encode(merged);
    }).thenApply(ignored -> result[0]);
  }

  /**
   * One page of the partition's stored records, in key order, after user key {@code after} (null:
   * from the first): at most {@code maxKeys} keys and about {@code maxBytes} bytes. Blocking.
   */
  public PartitionPage scanPartition(int partition, byte[] after, int maxKeys, int maxBytes) {
    byte[] from = after == null ? KeyLayout.partitionStart(partition)
        : Arrays.copyOf(KeyLayout.dataKey(partition, after), KeyLayout.dataKey(partition, after).length + 1);
    List<PartitionPage.Entry> entries = new ArrayList<>();
    int[] bytes = {0};
    boolean[] more = {false};
    engine.scan(from, KeyLayout.partitionEnd(partition), (k, v) -> {
      if (entries.size() >= maxKeys || bytes[0] >= maxBytes) {
        more[0] = true;
        return false;
      }
      entries.add(new PartitionPage.Entry(KeyLayout.userKeyOf(k), v));
      bytes[0] += k.length + v.length;
      return true;
    });
    return new PartitionPage(entries, !more[0]);
  }

  /** Whether this node stores any key-value data at all. Blocking. */
  public boolean holdsAnyData() {
    boolean[] any = {false};
    engine.scan(KeyLayout.dataStart(), KeyLayout.dataEnd(), (k, v) -> {
      any[0] = true;
      return false;
    });
    return any[0];
  }

  /** Whether this node stores anything in the partition. Blocking. */
  public boolean holdsPartition(int partition) {
    boolean[] any = {false};
    engine.scan(KeyLayout.partitionStart(partition), KeyLayout.partitionEnd(partition), (k, v) -> {
      any[0] = true;
      return false;
    });
    return any[0];
  }

  /**
   * Deletes every record of the partition (this node no longer replicates it), through the
   * writer so that the row cache forgets them too; returns the number of keys deleted. Blocking.
   */
  public long dropPartition(int partition) {
    long deleted = 0;
    while (true) {
      List<byte[]> keys = new ArrayList<>();
      engine.scan(KeyLayout.partitionStart(partition), KeyLayout.partitionEnd(partition), (k, v) -> {
        keys.add(k);
        return keys.size() < 1_000;
      });
      if (keys.isEmpty()) {
        return deleted;
      }
      // Updates, not plain deletes: the Merkle trees hear of every record that goes.
      CompletableFuture.allOf(keys.stream().map(k -> writer.update(k, old -> null))
          .toArray(CompletableFuture[]::new)).join();
      deleted += keys.size();
    }
  }

  public GroupCommitWriter writer() {
    return writer;
  }

  public RowCache rowCache() {
    return rowCache;
  }

  public StorageEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    writer.close();
    // Clean only if every dot made is stored: the writer drained and no failed write since the
    // current actor was chosen. Otherwise the next process takes a new actor name.
    if (writer.isStopped() && writer.failedWrites() == failuresSeen) {
      try {
        actor.markClean();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not record a clean shutdown; the next start takes a new actor name", e);
      }
    }
    engine.close();
  }

  /**
   * A write that supersedes versions must sort after them under last-write-wins even when this
   * node's clock is behind the one that wrote them.
   */
  private static long causallyLaterTimestamp(SiblingSet current, VersionVector past, long now) {
    long latest = now;
    for (Version v : current.versions()) {
      if (v.isSupersededBy(past) && v.timestampMs() >= latest) {
        latest = v.timestampMs() + 1;
      }
    }
    return latest;
  }
}
