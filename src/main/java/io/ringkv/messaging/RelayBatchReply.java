package io.ringkv.messaging;

/** For each entry of a {@link RelayBatch}, in order: how many home replicas of the relay's DC stored it. */
public record RelayBatchReply(int[] stored) {

  public static byte[] encode(RelayBatchReply m) {
    Wire.Writer out = new Wire.Writer(8 + 4 * m.stored.length).i32(m.stored.length);
    for (int s : m.stored) {
      out.i32(s);
    }
    return out.toByteArray();
  }

  public static RelayBatchReply decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int count = in.count();
    int[] stored = new int[count];
    for (int i = 0; i < count; i++) {
      stored[i] = in.i32();
    }
    in.expectEnd();
    return new RelayBatchReply(stored);
  }
}
