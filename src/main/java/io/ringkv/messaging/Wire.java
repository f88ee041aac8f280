package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Tiny binary writer/reader for event-bus messages (big-endian, length-prefixed fields). */
public final class Wire {
  private Wire() {}

  /** Appends fields to a growing byte array. */
  public static final class Writer {
    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    public Writer(int expectedSize) {
      bytes = new ByteArrayOutputStream(expectedSize);
      out = new DataOutputStream(bytes);
    }

    public Writer u8(int v) {
      return run(() -> out.writeByte(v));
    }

    public Writer i32(int v) {
      return run(() -> out.writeInt(v));
    }

    public Writer i64(long v) {
      return run(() -> out.writeLong(v));
    }

    public Writer bool(boolean v) {
      return u8(v ? 1 : 0);
    }

    /** Length-prefixed bytes; {@code null} is written as length -1. */
    public Writer bytes(byte[] v) {
      return run(() -> {
        if (v == null) {
          out.writeInt(-1);
        } else {
          out.writeInt(v.length);
          out.write(v);
        }
      });
    }

    public Writer string(String v) {
      return bytes(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    public Writer siblings(SiblingSet v) {
      return bytes(v == null ? null : SiblingSetCodec.encode(v));
    }

    /** One version, in the sibling-set record format (a set of one). */
    public Writer version(Version v) {
      return siblings(v == null ? null : SiblingSet.of(List.of(v)));
    }

    public byte[] toByteArray() {
      return bytes.toByteArray();
    }

    private Writer run(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    private interface IoAction {
      void run() throws IOException;
    }
  }

  /** Reads fields written by {@link Writer}; corrupt input gives IllegalArgumentException. */
  public static final class Reader {
    private final ByteBuffer buf;

    public Reader(byte[] data) {
      buf = ByteBuffer.wrap(data);
    }

    public int u8() {
      return guard(() -> buf.get() & 0xff);
    }

    public int i32() {
      return guard(buf::getInt);
    }

    /** The next i32 without consuming it. */
    public int peekI32() {
      return guard(() -> buf.getInt(buf.position()));
    }

    public long i64() {
      return guard(buf::getLong);
    }

    public boolean bool() {
      return u8() != 0;
    }

    public byte[] bytes() {
      int len = i32();
      if (len == -1) {
        return null;
      }
      if (len < 0 || len > buf.remaining()) {
        throw new IllegalArgumentException("corrupt message: field length " + len);
      }
      byte[] v = new byte[len];
      buf.get(v);
      return v;
    }

    public String string() {
      byte[] b = bytes();
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** An element count: at least one byte per element must follow, so a forged count fails here. */
    public int count() {
      int n = i32();
      if (n < 0 || n > buf.remaining()) {
        throw new IllegalArgumentException("corrupt message: count " + n);
      }
      return n;
    }

    public SiblingSet siblings() {
      byte[] b = bytes();
      return b == null ? null : SiblingSetCodec.decode(b);
    }

    public Version version() {
      SiblingSet set = siblings();
      if (set != null && set.versions().size() != 1) {
        throw new IllegalArgumentException("corrupt message: expected one version, got " + set.versions().size());
      }
      return set == null ? null : set.versions().get(0);
    }

    public void expectEnd() {
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException("corrupt message: " + buf.remaining() + " trailing bytes");
      }
    }

    private <T> T guard(java.util.function.Supplier<T> read) {
      try {
        return read.get();
      } catch (BufferUnderflowException e) {
        throw new IllegalArgumentException("corrupt message: truncated", e);
      }
    }
  }
}
