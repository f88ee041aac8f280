package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;

/**
 * One acknowledged write, as coordinators publish it (inside a {@link FeedBatch}) on
 * {@link io.ringkv.messaging.Addresses#FEED_EVENTS}:
 * the key, the key's sibling set right after the write, the coordinating node and that node's
 * feed sequence number (increasing by one per published event of that node; lets tools and logs
 * spot gaps, not part of the client protocol).
 *
 * <p>Wire form (big-endian, {@link Wire}): {@code key:bytes  siblings:bytes(SiblingSetCodec)
 * coordinator:string  seq:i64}.
 */
public record FeedEvent(byte[] key, SiblingSet siblings, String coordinator, long seq) {
  public static byte[] encode(FeedEvent e) {
    byte[] set = SiblingSetCodec.encode(e.siblings);
    return new Wire.Writer(24 + e.key.length + set.length)
        .bytes(e.key)
        .bytes(set)
        .string(e.coordinator)
        .i64(e.seq)
        .toByteArray();
  }

  public static FeedEvent decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    byte[] key = in.bytes();
    byte[] set = in.bytes();
    String coordinator = in.string();
    long seq = in.i64();
    in.expectEnd();
    if (key == null || set == null || coordinator == null) {
      throw new IllegalArgumentException("corrupt message: feed event with a missing field");
    }
    return new FeedEvent(key, SiblingSetCodec.decode(set), coordinator, seq);
  }
}
