package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.VersionVector;

/**
 * What a coordinator asks of one replica's storage.
 * <ul>
 *   <li>READ: return the stored sibling set of the key.</li>
 *   <li>WRITE: the coordinating replica's write: create a new version with this node's dot whose
 *       past is {@code context}, drop what the context covers, store, return the new set.</li>
 *   <li>MERGE: merge {@code siblings} into what is stored (replication and read repair).</li>
 * </ul>
 * With {@code hintFor} set, the request is addressed to a fallback standing in for that home
 * replica while it is down (sloppy quorum): a MERGE is kept as a hint for it, a READ also returns
 * the hint kept for it under the key.
 */
public record ReplicaRequest(
    Kind kind,
    int partition,
    byte[] key,
    VersionVector context,
    boolean tombstone,
    String contentType,
    byte[] value,
    long timestampMs,
    SiblingSet siblings,
    String hintFor) {

  public enum Kind { READ, WRITE, MERGE }

  public static ReplicaRequest read(int partition, byte[] key) {
    return new ReplicaRequest(Kind.READ, partition, key, null, false, null, null, 0, null, null);
  }

  /** A READ of a fallback that may hold a hint for {@code hintFor} under the key. */
  public static ReplicaRequest readHinted(int partition, byte[] key, String hintFor) {
    return new ReplicaRequest(Kind.READ, partition, key, null, false, null, null, 0, null, hintFor);
  }

  public static ReplicaRequest write(int partition, byte[] key, VersionVector context, boolean tombstone,
      String contentType, byte[] value, long timestampMs) {
    return new ReplicaRequest(Kind.WRITE, partition, key, context, tombstone, contentType, value, timestampMs, null,
        null);
  }

  public static ReplicaRequest merge(int partition, byte[] key, SiblingSet siblings) {
    return new ReplicaRequest(Kind.MERGE, partition, key, null, false, null, null, 0, siblings, null);
  }

  /** A MERGE that a fallback keeps as a hint for the home replica {@code hintFor}. */
  public static ReplicaRequest mergeHint(int partition, byte[] key, SiblingSet siblings, String hintFor) {
    return new ReplicaRequest(Kind.MERGE, partition, key, null, false, null, null, 0, siblings, hintFor);
  }

  /** The same request addressed to a fallback for {@code home}. */
  public ReplicaRequest hintedFor(String home) {
    return new ReplicaRequest(kind, partition, key, context, tombstone, contentType, value, timestampMs, siblings, home);
  }

  public static byte[] encode(ReplicaRequest m) {
    int size = 32 + m.key.length + (m.value == null ? 0 : m.value.length);
    return new Wire.Writer(size)
        .u8(m.kind.ordinal())
        .i32(m.partition)
        .bytes(m.key)
        .bytes(m.context == null ? null : SiblingSetCodec.encodeVector(m.context))
        .bool(m.tombstone)
        .string(m.contentType)
        .bytes(m.value)
        .i64(m.timestampMs)
        .siblings(m.siblings)
        .string(m.hintFor)
        .toByteArray();
  }

  public static ReplicaRequest decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int kind = in.u8();
    if (kind >= Kind.values().length) {
      throw new IllegalArgumentException("corrupt message: replica request kind " + kind);
    }
    int partition = in.i32();
    byte[] key = in.bytes();
    byte[] context = in.bytes();
    boolean tombstone = in.bool();
    String contentType = in.string();
    byte[] value = in.bytes();
    long timestamp = in.i64();
    SiblingSet siblings = in.siblings();
    String hintFor = in.string();
    in.expectEnd();
    return new ReplicaRequest(Kind.values()[kind], partition, key,
        context == null ? null : SiblingSetCodec.decodeVector(context), tombstone, contentType, value, timestamp,
        siblings, hintFor);
  }
}
