package io.ringkv.messaging;

import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link FeedEvent}s one coordinator's event-loop turn publishes, as one event-bus message:
 * one routing and one system call per node and turn instead of one per write (under load a turn
 * acknowledges several writes). Every node gets every batch, most with no subscriber to hand it to,
 * so a batch that arrived over the wire decodes its events only when they are first asked for.
 *
 * <p>Wire form (big-endian, {@link Wire}): {@code count:i32} then {@code count} times
 * {@code event:bytes(FeedEvent)}.
 */
public final class FeedBatch {
  public static final String CODEC_NAME = "ringkv.FeedBatch";

  private final byte[] wire;
  private volatile List<FeedEvent> events;

  public FeedBatch(List<FeedEvent> events) {
    this.events = List.copyOf(events);
    this.wire = null;
  }

  private FeedBatch(byte[] wire) {
    this.wire = wire;
  }

  /** The events, in publishing order. Safe from any thread: a lazy decode may run twice, to equal lists. */
  public List<FeedEvent> events() {
    List<FeedEvent> decoded = events;
    if (decoded == null) {
      decoded = decodeEvents(wire);
      events = decoded;
    }
    return decoded;
  }

  public static byte[] encode(FeedBatch batch) {
    List<FeedEvent> events = batch.events();
    List<byte[]> encoded = new ArrayList<>(events.size());
    int size = 4;
    for (FeedEvent e : events) {
      byte[] one = FeedEvent.encode(e);
      encoded.add(one);
      size += 4 + one.length;
    }
    Wire.Writer out = new Wire.Writer(size).i32(encoded.size());
    encoded.forEach(out::bytes);
    return out.toByteArray();
  }

  /** Checks nothing yet: a corrupt batch fails when its events are first read (decoding is deferred). */
  public static FeedBatch decode(byte[] data) {
    return new FeedBatch(data);
  }

  /** Registers the batch's codec on {@code eventBus} (every node needs it); a second registration is ignored. */
  public static void registerCodec(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(FeedBatch.class, new BinaryCodec<>(CODEC_NAME, FeedBatch::encode, FeedBatch::decode));
    } catch (IllegalStateException alreadyRegistered) {
      // Codecs.registerAll, another coordinator instance or another HTTP instance was first.
    }
  }

  private static List<FeedEvent> decodeEvents(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int count = in.i32();
    if (count < 0 || count > data.length / 4) {
      throw new IllegalArgumentException("corrupt message: feed batch of " + count + " events");
    }
    List<FeedEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] one = in.bytes();
      if (one == null) {
        throw new IllegalArgumentException("corrupt message: feed batch with a missing event");
      }
      events.add(FeedEvent.decode(one));
    }
    in.expectEnd();
    return List.copyOf(events);
  }
}
