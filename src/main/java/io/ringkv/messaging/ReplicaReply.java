package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;

/**
 * A replica's answer: the sibling set it now holds for the key (READ, WRITE; {@code null} for a
 * MERGE ack, to keep acks small) and, for WRITE, the version it created.
 */
public record ReplicaReply(SiblingSet siblings, Version written) {

  public static final ReplicaReply ACK = new ReplicaReply(null, null);

  public static byte[] encode(ReplicaReply m) {
    return new Wire.Writer(64).siblings(m.siblings).version(m.written).toByteArray();
  }

  public static ReplicaReply decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    ReplicaReply reply = new ReplicaReply(in.siblings(), in.version());
    in.expectEnd();
    return reply;
  }
}
