package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a coordinator ships to another DC in one message (cross-DC replication): the relay node
 * of that DC merges each entry into the entry's home replicas of its own DC and answers, per
 * entry, how many of them stored it ({@link RelayBatchReply}). {@code coordinator} is the
 * node that shipped it (named in the feed events the relay's DC publishes).
 */
public record RelayBatch(String originDc, String coordinator, List<Entry> entries) {

  /** One key's sibling set, as its coordinator stored it. */
  public record Entry(int partition, byte[] key, SiblingSet siblings) {}

  public RelayBatch {
    entries = List.copyOf(entries);
  }

  public static byte[] encode(RelayBatch m) {
    Wire.Writer out = new Wire.Writer(64 + 128 * m.entries.size()).string(m.originDc).string(m.coordinator).i32(m.entries.size());
    for (Entry e : m.entries) {
      out.i32(e.partition).bytes(e.key).siblings(e.siblings);
    }
    return out.toByteArray();
  }

  public static RelayBatch decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    String origin = in.string();
    String coordinator = in.string();
    int count = in.count();
    List<Entry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int partition = in.i32();
      byte[] key = in.bytes();
      SiblingSet siblings = in.siblings();
      if (key == null || siblings == null) {
        throw new IllegalArgumentException("corrupt message: relay entry " + i + " without key or siblings");
      }
      entries.add(new Entry(partition, key, siblings));
    }
    in.expectEnd();
    return new RelayBatch(origin, coordinator, entries);
  }
}
