package io.ringkv.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far this node has copied each partition for the membership change at ring {@code version}:
 * the last key copied (copying resumes after it, from any current home), keys and bytes so far,
 * and whether the partition is complete. Immutable; persisted under the meta key
 * {@code transfers} after every page, so a restarted node resumes instead of starting over.
 * The pages themselves are merged through the group-commit writer like any replica write.
 */
final class TransferProgress {
  private static final byte[] KEY = KeyLayout.metaKey("transfers");

  record Partition(byte[] cursor, long keys, long bytes, boolean done) {}

  private final long version;
  private final Map<Integer, Partition> partitions;

  private TransferProgress(long version, Map<Integer, Partition> partitions) {
    this.version = version;
    this.partitions = partitions;
  }

  long version() {
    return version;
  }

  /** Progress for another change: nothing copied yet. */
  TransferProgress restart(long newVersion) {
    return new TransferProgress(newVersion, Map.of());
  }

  boolean isDone(int partition) {
    Partition p = partitions.get(partition);
    return p != null && p.done();
  }

  byte[] cursor(int partition) {
    Partition p = partitions.get(partition);
    return p == null ? null : p.cursor();
  }

  long keys(int partition) {
    Partition p = partitions.get(partition);
    return p == null ? 0 : p.keys();
  }

  long bytes(int partition) {
    Partition p = partitions.get(partition);
    return p == null ? 0 : p.bytes();
  }

  TransferProgress advance(int partition, byte[] cursor, int keys, int bytes, boolean done) {
    Map<Integer, Partition> next = new TreeMap<>(partitions);
    next.put(partition, new Partition(cursor, keys(partition) + keys, bytes(partition) + bytes, done));
    return new TransferProgress(version, next);
  }

  static TransferProgress load(StorageEngine engine) {
    byte[] bytes = engine.get(KEY);
    if (bytes == null) {
      return new TransferProgress(0, Map.of());
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      long version = in.readLong();
      int count = in.readInt();
      Map<Integer, Partition> partitions = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        int partition = in.readInt();
        int cursorLength = in.readInt();
        byte[] cursor = cursorLength < 0 ? null : in.readNBytes(cursorLength);
        partitions.put(partition, new Partition(cursor, in.readLong(), in.readLong(), in.readBoolean()));
      }
      return new TransferProgress(version, partitions);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt transfer progress in the data dir", e);
    }
  }

  void save(StorageEngine engine) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(version);
      out.writeInt(partitions.size());
      for (Map.Entry<Integer, Partition> e : partitions.entrySet()) {
        out.writeInt(e.getKey());
        Partition p = e.getValue();
        out.writeInt(p.cursor() == null ? -1 : p.cursor().length);
        if (p.cursor() != null) {
          out.write(p.cursor());
        }
        out.writeLong(p.keys());
        out.writeLong(p.bytes());
        out.writeBoolean(p.done());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Not synced: progress lost in a crash only means some pages are copied again, and merging
    // a page twice changes nothing.
    engine.write(List.of(Mutation.put(KEY, bytes.toByteArray())), false);
  }
}
