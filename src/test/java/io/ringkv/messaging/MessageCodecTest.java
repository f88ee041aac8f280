package io.ringkv.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binary forms of the event-bus messages: what crosses between nodes must come back equal. */
class MessageCodecTest {
  static final Version V1 = new Version(new Dot("n1", 7), VersionVector.of(Map.of("n2", 3L)), 1_000, false,
      "text/plain", "héllo".getBytes(StandardCharsets.UTF_8));
  static final Version V2 = new Version(new Dot("n2", 4), VersionVector.empty(), 2_000, true, "", new byte[0]);
  static final SiblingSet SET = SiblingSet.of(List.of(V1, V2));

  @Test
  void replicaRequestsRoundTrip() {
    for (ReplicaRequest r : List.of(ReplicaRequest.read(3, "k".getBytes()),
        ReplicaRequest.write(255, new byte[] {0, (byte) 0xff}, VersionVector.of(Map.of("n1", 9L)), false,
            "application/json", "{}".getBytes(), 123L),
        ReplicaRequest.write(0, "k".getBytes(), null, true, null, new byte[0], 5L),
        ReplicaRequest.merge(9, "k".getBytes(), SET))) {
      ReplicaRequest back = ReplicaRequest.decode(ReplicaRequest.encode(r));
      assertEquals(r.kind(), back.kind());
      assertEquals(r.partition(), back.partition());
      assertArrayEquals(r.key(), back.key());
      assertEquals(r.context(), back.context());
      assertEquals(r.tombstone(), back.tombstone());
      assertEquals(r.contentType(), back.contentType());
      assertArrayEquals(r.value(), back.value());
      assertEquals(r.timestampMs(), back.timestampMs());
      assertTrue(r.siblings() == null ? back.siblings() == null : r.siblings().sameVersionsAs(back.siblings()));
    }
  }

  @Test
  void repliesAndResponsesRoundTrip() {
    ReplicaReply reply = ReplicaReply.decode(ReplicaReply.encode(new ReplicaReply(SET, V1)));
    assertEquals(SET.versions(), reply.siblings().versions());
    assertEquals(V1, reply.written());
    ReplicaReply ack = ReplicaReply.decode(ReplicaReply.encode(ReplicaReply.ACK));
    assertNull(ack.siblings());
    assertNull(ack.written());

    KvResponse ok = KvResponse.decode(KvResponse.encode(KvResponse.ok(SET, V2, "n3")));
    assertEquals(KvResponse.Outcome.OK, ok.outcome());
    assertEquals(SET.versions(), ok.siblings().versions());
    assertEquals(V2, ok.written());
    assertEquals("n3", ok.coordinator());
    KvResponse failed = KvResponse.decode(KvResponse.encode(
        KvResponse.failure(KvResponse.Outcome.UNAVAILABLE, 3, 2, "only 2", "n1")));
    assertEquals(List.of(KvResponse.Outcome.UNAVAILABLE, 3, 2, "only 2"),
        List.of(failed.outcome(), failed.required(), failed.acknowledged(), failed.message()));
    KvResponse refused = KvResponse.decode(KvResponse.encode(KvResponse.tooManySiblings(100, 101, "too many", "n2")));
    assertEquals(List.of(KvResponse.Outcome.TOO_MANY_SIBLINGS, 100, 101, "too many", "n2"),
        List.of(refused.outcome(), refused.siblingLimit(), refused.siblingCount(), refused.message(),
            refused.coordinator()));
    // Outcomes travel by ordinal between nodes of different versions: the old ones keep their numbers.
    assertEquals(List.of("OK", "UNAVAILABLE", "TIMEOUT", "BAD_REQUEST", "INTERNAL", "TOO_MANY_SIBLINGS"),
        java.util.Arrays.stream(KvResponse.Outcome.values()).map(Enum::name).toList());
  }

  @Test
  void kvRequestsRoundTrip() {
    KvRequest r = new KvRequest(KvRequest.Op.PUT, "user/42".getBytes(), "v".getBytes(), "text/plain",
        VersionVector.of(Map.of("n1", 2L, "n3", 1L)), 2, 3, 1500, false, true);
    KvRequest back = KvRequest.decode(KvRequest.encode(r));
    assertEquals(List.of(r.op(), r.contentType(), r.context(), r.r(), r.w(), r.timeoutMs(), r.sloppy(), r.returnBody()),
        List.of(back.op(), back.contentType(), back.context(), back.r(), back.w(), back.timeoutMs(), back.sloppy(),
            back.returnBody()));
    assertArrayEquals(r.key(), back.key());
    assertArrayEquals(r.value(), back.value());
    assertNull(KvRequest.decode(KvRequest.encode(new KvRequest(KvRequest.Op.GET, "k".getBytes(), null, null, null,
        1, 1, 10, true, false))).context(), "a blind request stays blind");
  }

  @Test
  void truncatedOrPaddedMessagesAreRefused() {
    byte[] full = ReplicaRequest.encode(ReplicaRequest.merge(9, "k".getBytes(), SET));
    for (int cut = 0; cut < full.length; cut++) {
      byte[] part = Arrays.copyOf(full, cut);
      assertThrows(IllegalArgumentException.class, () -> ReplicaRequest.decode(part), "cut at " + cut);
    }
    byte[] padded = Arrays.copyOf(full, full.length + 1);
    assertThrows(IllegalArgumentException.class, () -> ReplicaRequest.decode(padded));
  }

  @Test
  void batchesKeepEveryRequestAndOutcomeInOrder() {
    List<ReplicaRequest> requests = List.of(ReplicaRequest.merge(1, "a".getBytes(), SET),
        ReplicaRequest.read(2, "b".getBytes()), ReplicaRequest.merge(3, "c".getBytes(), SiblingSet.of(List.of(V1))));
    ReplicaBatch batch = ReplicaBatch.decode(ReplicaBatch.encode(new ReplicaBatch(requests)));
    assertEquals(3, batch.requests().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(requests.get(i).kind(), batch.requests().get(i).kind());
      assertEquals(requests.get(i).partition(), batch.requests().get(i).partition());
      assertArrayEquals(requests.get(i).key(), batch.requests().get(i).key());
    }
    assertTrue(batch.requests().get(0).siblings().sameVersionsAs(SET));

    ReplicaBatchReply reply = ReplicaBatchReply.decode(ReplicaBatchReply.encode(new ReplicaBatchReply(List.of(
        ReplicaBatchReply.Outcome.ok(ReplicaReply.ACK),
        ReplicaBatchReply.Outcome.failed(503, "storage of n2 is overloaded"),
        ReplicaBatchReply.Outcome.ok(new ReplicaReply(SET, null))))));
    assertNull(reply.outcomes().get(0).reply().siblings(), "an ack stays an ack");
    assertEquals(List.of(503, "storage of n2 is overloaded"),
        List.of(reply.outcomes().get(1).failureCode(), reply.outcomes().get(1).failureMessage()));
    assertNull(reply.outcomes().get(1).reply());
    assertEquals(SET.versions(), reply.outcomes().get(2).reply().siblings().versions());
  }

  @Test
  void truncatedOrPaddedBatchesAreRefused() {
    byte[] batch = ReplicaBatch.encode(new ReplicaBatch(List.of(ReplicaRequest.merge(9, "k".getBytes(), SET),
        ReplicaRequest.read(1, "j".getBytes()))));
    byte[] reply = ReplicaBatchReply.encode(new ReplicaBatchReply(List.of(
        ReplicaBatchReply.Outcome.ok(new ReplicaReply(SET, V1)), ReplicaBatchReply.Outcome.failed(500, "x"))));
    for (int cut = 0; cut < batch.length; cut++) {
      byte[] part = Arrays.copyOf(batch, cut);
      assertThrows(IllegalArgumentException.class, () -> ReplicaBatch.decode(part), "batch cut at " + cut);
    }
    for (int cut = 0; cut < reply.length; cut++) {
      byte[] part = Arrays.copyOf(reply, cut);
      assertThrows(IllegalArgumentException.class, () -> ReplicaBatchReply.decode(part), "reply cut at " + cut);
    }
    assertThrows(IllegalArgumentException.class, () -> ReplicaBatch.decode(Arrays.copyOf(batch, batch.length + 1)));
    assertThrows(IllegalArgumentException.class, () -> ReplicaBatchReply.decode(Arrays.copyOf(reply, reply.length + 1)));
  }
}
