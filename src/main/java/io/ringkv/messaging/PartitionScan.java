package io.ringkv.messaging;

/**
 * A request to a node's storage for one page of a partition's records, in key order, after
 * {@code after} (null: from the first key): how a node that will be a home replica of the
 * partition copies it from a current one. At most {@code maxKeys} keys and about
 * {@code maxBytes} bytes per page. Answered with a {@link PartitionPage}.
 */
public record PartitionScan(int partition, byte[] after, int maxKeys, int maxBytes) {

  public static byte[] encode(PartitionScan m) {
    return new Wire.Writer(24 + (m.after == null ? 0 : m.after.length)).i32(m.partition).bytes(m.after)
        .i32(m.maxKeys).i32(m.maxBytes).toByteArray();
  }

  public static PartitionScan decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    PartitionScan s = new PartitionScan(in.i32(), in.bytes(), in.i32(), in.i32());
    in.expectEnd();
    return s;
  }
}
