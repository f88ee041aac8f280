package io.ringkv.messaging;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.function.Function;

/**
 * Event-bus codec for an immutable message type that knows its own binary form. Local delivery
 * passes the object itself (messages are immutable); remote delivery writes a length-prefixed
 * byte array, never JSON or base64.
 */
public final class BinaryCodec<T> implements MessageCodec<T, T> {
  private final String name;
  private final Function<T, byte[]> encoder;
  private final Function<byte[], T> decoder;

  public BinaryCodec(String name, Function<T, byte[]> encoder, Function<byte[], T> decoder) {
    this.name = name;
    this.encoder = encoder;
    this.decoder = decoder;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    byte[] bytes = encoder.apply(message);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return decoder.apply(buffer.getBytes(pos + 4, pos + 4 + length));
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
