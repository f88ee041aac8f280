package io.ringkv.merkle;

import io.ringkv.version.RecordDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A node's Merkle trees, one per partition it replicates, kept up to date by the store: it calls
 * {@link #changing} for every change of a data record, on its writer thread, before the change is
 * written (and again with the records swapped if the write then failed). Pure: no I/O.
 *
 * <p><b>Building while writes go on.</b> A tree starts from a range scan of its partition
 * ({@link #startBuild}, then {@link Build#visit} for every stored record in key order, then
 * {@link Build#finish}), while writes keep arriving. The scan may run on snapshots taken at
 * different moments (one per page), each taken after the build started and after every change
 * announced before it was written. Two rules make the result exact:
 * <ul>
 *   <li>a change of a key the scan has not reached yet, or of a key that already has an
 *       override, records an <em>override</em>: the key's latest contribution. The scan skips
 *       overridden keys and {@link Build#finish} adds the overrides;</li>
 *   <li>a change of a key the scan already counted is applied as a delta (old contribution out,
 *       new in): what the scan counted is exactly the old record, since no change of that key
 *       was announced between the snapshot and the visit (it would have left an override).</li>
 * </ul>
 * {@code PartitionTreesTest} checks this against a model under random interleavings.
 *
 * <p>Thread-safe: one lock per partition; the writer thread, a builder and exchanges share it.
 */
public final class PartitionTrees {
  private final TreeShape shape;
  private final AtomicReferenceArray<Slot> slots;

  /** A partition's tree as seen from outside. */
  public enum State { NONE, BUILDING, READY }

  public PartitionTrees(TreeShape shape, int partitions) {
    this.shape = shape;
    this.slots = new AtomicReferenceArray<>(partitions);
  }

  public TreeShape shape() {
    return shape;
  }

  public int partitions() {
    return slots.length();
  }

  /**
   * The record of user key {@code key[keyOffset..]} in {@code partition} changes from
   * {@code before} to {@code after} (null = no record). Called by the store's writer thread only.
   */
  public void changing(int partition, byte[] key, int keyOffset, byte[] before, byte[] after) {
    Slot slot = slots.get(partition);
    if (slot == null || before == after) {
      return;
    }
    RecordDigest old = RecordDigest.of(before);
    RecordDigest now = RecordDigest.of(after);
    if (old.hash() == now.hash() && old.tombstonesOnly() == now.tombstonesOnly()) {
      return;
    }
    long keyHash = KeyHashes.keyHash(key, keyOffset, key.length - keyOffset);
    slot.change(key, keyOffset, shape.leafOf(keyHash), Entry.of(keyHash, old), Entry.of(keyHash, now));
  }

  /**
   * Starts a new tree for the partition (replacing any tree or build it had): from now on changes
   * are tracked. Before scanning, wait until every change announced before this call is written
   * (e.g. a no-op through the writer), then visit the partition's records in key order.
   */
  public Build startBuild(int partition) {
    Slot slot = new Slot(new MerkleTree(shape));
    slots.set(partition, slot);
    return new Build(partition, slot);
  }

  /** Forgets the partition's tree (this node no longer replicates it). */
  public void drop(int partition) {
    slots.set(partition, null);
  }

  public State state(int partition) {
    Slot slot = slots.get(partition);
    if (slot == null) {
      return State.NONE;
    }
    synchronized (slot) {
      return slot.building ? State.BUILDING : State.READY;
    }
  }

  /** The root of a built tree, or null while there is none or it is being built. */
  public Long root(int partition) {
    Slot slot = slots.get(partition);
    if (slot == null) {
      return null;
    }
    synchronized (slot) {
      return slot.building ? null : slot.tree.root();
    }
  }

  /** Hashes of nodes of one level of a built tree, or null while there is none. */
  public long[] hashes(int partition, int level, int[] indices) {
    Slot slot = slots.get(partition);
    if (slot == null) {
      return null;
    }
    synchronized (slot) {
      return slot.building ? null : slot.tree.hashes(level, indices);
    }
  }

  /** Keys with versions in the partition, as the tree counts them (0 without a built tree). */
  public long keys(int partition) {
    Slot slot = slots.get(partition);
    if (slot == null) {
      return 0;
    }
    synchronized (slot) {
      return slot.building ? 0 : slot.keys;
    }
  }

  /** Keys of the partition whose versions are all tombstones (0 without a built tree). */
  public long tombstoneKeys(int partition) {
    Slot slot = slots.get(partition);
    if (slot == null) {
      return 0;
    }
    synchronized (slot) {
      return slot.building ? 0 : slot.tombstones;
    }
  }

  public int count(State state) {
    int n = 0;
    for (int p = 0; p < slots.length(); p++) {
      n += state(p) == state ? 1 : 0;
    }
    return n;
  }

  /** Heap held by the trees (a build's overrides not counted). */
  public long memoryBytes() {
    return (count(State.READY) + (long) count(State.BUILDING)) * shape.bytesPerTree();
  }

  /** A build in progress; see the class comment. Used by one builder thread. */
  public final class Build {
    private final int partition;
    private final Slot slot;

    private Build(int partition, Slot slot) {
      this.partition = partition;
      this.slot = slot;
    }

    public int partition() {
      return partition;
    }

    /** Whether this build still owns the partition's tree (no newer build or drop replaced it). */
    public boolean current() {
      return slots.get(partition) == slot;
    }

    /** Counts one stored record; keys must come in increasing order. Returns false once stale. */
    public boolean visit(byte[] userKey, byte[] record) {
      long keyHash = KeyHashes.keyHash(userKey);
      Entry entry = Entry.of(keyHash, RecordDigest.of(record));
      synchronized (slot) {
        if (!slot.building || !current()) {
          return false;
        }
        slot.visit(userKey, shape.leafOf(keyHash), entry);
        return true;
      }
    }

    /** Adds the overrides; the tree is then ready and follows every change by deltas. */
    public void finish() {
      synchronized (slot) {
        slot.finish();
      }
    }
  }

  /** What one key adds to its tree: its leaf contribution, and whether it counts as a key and a tombstone. */
  private record Entry(long contribution, boolean present, boolean tombstone) {
    static Entry of(long keyHash, RecordDigest digest) {
      return new Entry(KeyHashes.contribution(keyHash, digest.hash()), !digest.absent(),
          !digest.absent() && digest.tombstonesOnly());
    }
  }

  private record Pending(int leaf, Entry entry) {}

  /** One partition's tree and, while it is built, the scan's position and the overrides. */
  private static final class Slot {
    final MerkleTree tree;
    boolean building = true;
    byte[] cursor; // last key the scan visited; null before the first
    Map<UserKey, Pending> overrides = new HashMap<>();
    long keys;
    long tombstones;

    Slot(MerkleTree tree) {
      this.tree = tree;
    }

    synchronized void change(byte[] key, int keyOffset, int leaf, Entry old, Entry now) {
      if (building) {
        UserKey k = new UserKey(Arrays.copyOfRange(key, keyOffset, key.length));
        if (cursor == null || Arrays.compareUnsigned(k.bytes, cursor) > 0 || overrides.containsKey(k)) {
          overrides.put(k, new Pending(leaf, now));
          return;
        }
      }
      apply(leaf, old, -1);
      apply(leaf, now, +1);
    }

    void visit(byte[] userKey, int leaf, Entry entry) {
      cursor = userKey;
      if (!overrides.containsKey(new UserKey(userKey))) {
        apply(leaf, entry, +1);
      }
    }

    void finish() {
      if (!building) {
        return;
      }
      overrides.values().forEach(o -> apply(o.leaf(), o.entry(), +1));
      overrides = null;
      cursor = null;
      building = false;
    }

    private void apply(int leaf, Entry e, int sign) {
      tree.add(leaf, sign * e.contribution());
      keys += e.present() ? sign : 0;
      tombstones += e.tombstone() ? sign : 0;
    }
  }

  /** A user key as a map key (arrays compare by identity). */
  private record UserKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof UserKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
