package io.ringkv.messaging;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a partition: user keys and their stored sibling-set records (the storage format,
 * passed through without decoding), and whether the partition ends with this page.
 */
public record PartitionPage(List<Entry> entries, boolean end) {

  /** A user key and its sibling-set record. */
  public record Entry(byte[] key, byte[] record) {}

  public PartitionPage {
    entries = List.copyOf(entries);
  }

  public int bytes() {
    int n = 0;
    for (Entry e : entries) {
      n += e.key.length + e.record.length;
    }
    return n;
  }

  public static byte[] encode(PartitionPage m) {
    Wire.Writer out = new Wire.Writer(16 + m.bytes() + 10 * m.entries.size()).i32(m.entries.size());
    for (Entry e : m.entries) {
      out.bytes(e.key).bytes(e.record);
    }
    return out.bool(m.end).toByteArray();
  }

  public static PartitionPage decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int count = in.count();
    List<Entry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = in.bytes();
      byte[] record = in.bytes();
      if (key == null || record == null) {
        throw new IllegalArgumentException("corrupt message: page entry without key or record");
      }
      entries.add(new Entry(key, record));
    }
    PartitionPage page = new PartitionPage(entries, in.bool());
    in.expectEnd();
    return page;
  }
}
