package io.ringkv.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The anti-entropy exchange's binary forms come back equal, and corrupt ones are refused. */
class AeMessagesTest {

  /** Through the registered codec's wire form, as between two nodes. */
  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T message, String codec) {
    EventBusCodecs codecs = new EventBusCodecs();
    BinaryCodec<T> c = (BinaryCodec<T>) codecs.byClass.get(message.getClass());
    assertEquals(codec, c.name());
    Buffer buffer = Buffer.buffer();
    c.encodeToWire(buffer, message);
    assertEquals(AeMessages.size(message), buffer.length(), "size() is what crosses the wire");
    return c.decodeFromWire(0, buffer);
  }

  /** Collects what {@link Codecs#registerAll} registers, without an event bus. */
  private static final class EventBusCodecs {
    final java.util.Map<Class<?>, io.vertx.core.eventbus.MessageCodec<?, ?>> byClass = new java.util.HashMap<>();

    EventBusCodecs() {
      io.vertx.core.eventbus.EventBus bus = (io.vertx.core.eventbus.EventBus) java.lang.reflect.Proxy.newProxyInstance(
          getClass().getClassLoader(), new Class<?>[] {io.vertx.core.eventbus.EventBus.class}, (proxy, method, args) -> {
            if (method.getName().equals("registerDefaultCodec")) {
              byClass.put((Class<?>) args[0], (io.vertx.core.eventbus.MessageCodec<?, ?>) args[1]);
            }
            return proxy;
          });
      AeMessages.register(bus);
    }
  }

  @Test
  void everyMessageRoundTrips() {
    AeMessages.RootsRequest roots = roundTrip(new AeMessages.RootsRequest(16, 3, new int[] {0, 9}),
        "ringkv.ae.RootsRequest");
    assertArrayEquals(new int[] {0, 9}, roots.partitions());
    AeMessages.RootsReply rootsReply = roundTrip(new AeMessages.RootsReply(AeMessages.TreeStatus.OK,
        new Long[] {7L, null, -1L}), "ringkv.ae.RootsReply");
    assertArrayEquals(new Long[] {7L, null, -1L}, rootsReply.roots());

    AeMessages.TreeRequest tree = roundTrip(new AeMessages.TreeRequest(7, 16, 3, 2, new int[] {1, 5, 255}),
        "ringkv.ae.TreeRequest");
    assertEquals(7, tree.partition());
    assertEquals(2, tree.level());
    assertArrayEquals(new int[] {1, 5, 255}, tree.indices());

    AeMessages.TreeReply reply = roundTrip(new AeMessages.TreeReply(AeMessages.TreeStatus.OK, 390, new long[] {-1, 0, 42}),
        "ringkv.ae.TreeReply");
    assertEquals(AeMessages.TreeStatus.OK, reply.status());
    assertArrayEquals(new long[] {-1, 0, 42}, reply.hashes());
    assertEquals(390, reply.keys());

    AeMessages.DigestRequest all = roundTrip(new AeMessages.DigestRequest(3, 16, 3, null, null, 1024),
        "ringkv.ae.DigestRequest");
    assertNull(all.leaves());
    assertNull(all.after());
    AeMessages.DigestRequest some = roundTrip(new AeMessages.DigestRequest(3, 16, 3, new int[] {4}, "k".getBytes(), 9),
        "ringkv.ae.DigestRequest");
    assertArrayEquals(new int[] {4}, some.leaves());
    assertArrayEquals("k".getBytes(), some.after());
    assertEquals(9, some.maxKeys());

    AeMessages.Digests digests = roundTrip(new AeMessages.Digests(List.of(new KeyDigest("a".getBytes(), 5),
        new KeyDigest(new byte[0], 0)), false), "ringkv.ae.Digests");
    assertEquals(2, digests.keys().size());
    assertArrayEquals("a".getBytes(), digests.keys().get(0).key());
    assertEquals(5, digests.keys().get(0).digest());

    AeMessages.KeysRequest keys = roundTrip(new AeMessages.KeysRequest(1, true, List.of("x".getBytes(), "y".getBytes())),
        "ringkv.ae.KeysRequest");
    assertEquals(2, keys.keys().size());
    assertEquals(true, keys.records());

    AeMessages.Push push = roundTrip(new AeMessages.Push(2, List.of(new PartitionPage.Entry("k".getBytes(),
        new byte[] {2, 0}))), "ringkv.ae.Push");
    assertArrayEquals(new byte[] {2, 0}, push.records().get(0).record());

    AeMessages.Reap reap = roundTrip(new AeMessages.Reap(4, List.of(new KeyDigest("t".getBytes(), 77))), "ringkv.ae.Reap");
    assertEquals(77, reap.keys().get(0).digest());
    assertEquals(3, roundTrip(new AeMessages.Ack(3), "ringkv.ae.Ack").count());
  }

  @Test
  void corruptMessagesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> AeMessages.TreeReply.decode(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> AeMessages.TreeRequest.decode(new byte[] {0, 0, 0, 1}));
    assertThrows(IllegalArgumentException.class, () -> AeMessages.Digests.decode(new byte[] {0, 0, 0, 5, 0}));
    assertThrows(IllegalArgumentException.class, () -> AeMessages.size("not a message"));
  }
}
