package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import java.util.List;

/**
 * A replica's answer: the sibling set it now holds for the key (READ, WRITE; {@code null} for a
 * MERGE ack, to keep acks small) and, for WRITE, the version it created.
 */
public record ReplicaReply(SiblingSet siblings, Version written) {

  public static final ReplicaReply ACK = new ReplicaReply(null, null);

  public static byte[] encode(ReplicaReply m) {
    return new Wire.Writer(64)
        .bytes(m.siblings == null ? null : SiblingSetCodec.encode(m.siblings))
        .bytes(m.written == null ? null : SiblingSetCodec.encode(SiblingSet.of(List.of(m.written))))
        .toByteArray();
  }

  public static ReplicaReply decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    byte[] siblings = in.bytes();
    byte[] written = in.bytes();
    in.expectEnd();
    return new ReplicaReply(siblings == null ? null : SiblingSetCodec.decode(siblings),
        written == null ? null : SiblingSetCodec.decode(written).versions().get(0));
  }
}
