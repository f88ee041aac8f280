package io.ringkv.messaging;

import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.VersionVector;

/**
 * A client operation as the HTTP API hands it to a coordinator (already validated).
 * {@code context} is {@code null} for a blind write.
 */
public record KvRequest(
    Op op,
    byte[] key,
    byte[] value,
    String contentType,
    VersionVector context,
    int r,
    int w,
    long timeoutMs,
    boolean sloppy,
    boolean returnBody) {

  public enum Op { GET, PUT, DELETE }

  public static byte[] encode(KvRequest m) {
    int size = 48 + m.key.length + (m.value == null ? 0 : m.value.length);
    return new Wire.Writer(size)
        .u8(m.op.ordinal())
        .bytes(m.key)
        .bytes(m.value)
        .string(m.contentType)
        .bytes(m.context == null ? null : SiblingSetCodec.encodeVector(m.context))
        .i32(m.r)
        .i32(m.w)
        .i64(m.timeoutMs)
        .bool(m.sloppy)
        .bool(m.returnBody)
        .toByteArray();
  }

  public static KvRequest decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int op = in.u8();
    if (op >= Op.values().length) {
      throw new IllegalArgumentException("corrupt message: op " + op);
    }
    byte[] key = in.bytes();
    byte[] value = in.bytes();
    String contentType = in.string();
    byte[] context = in.bytes();
    KvRequest request = new KvRequest(Op.values()[op], key, value, contentType,
        context == null ? null : SiblingSetCodec.decodeVector(context),
        in.i32(), in.i32(), in.i64(), in.bool(), in.bool());
    in.expectEnd();
    return request;
  }
}
