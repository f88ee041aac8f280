package io.ringkv.feed;

import static io.ringkv.feed.FeedEventTest.version;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringkv.messaging.FeedBatch;
import io.ringkv.messaging.FeedEvent;
import io.ringkv.version.SiblingSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedBatchTest {
  private static FeedEvent event(String key, long seq, SiblingSet set) {
    return new FeedEvent(key.getBytes(StandardCharsets.UTF_8), set, "n" + (seq % 3), seq);
  }

  @Test
  void roundTripsEveryEventInOrder() {
    SiblingSet two = SiblingSet.of(List.of(version("n1", 1, "a", false), version("n2", 1, "b", false)));
    SiblingSet gone = SiblingSet.of(List.of(version("n3", 4, "", true)));
    List<FeedEvent> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(event("k/" + i, 100 + i, i % 5 == 0 ? gone : two));
    }
    List<FeedEvent> back = FeedBatch.decode(FeedBatch.encode(new FeedBatch(events))).events();
    assertEquals(events.size(), back.size());
    for (int i = 0; i < events.size(); i++) {
      assertArrayEquals(events.get(i).key(), back.get(i).key());
      assertEquals(events.get(i).siblings(), back.get(i).siblings());
      assertEquals(events.get(i).coordinator(), back.get(i).coordinator());
      assertEquals(events.get(i).seq(), back.get(i).seq());
    }
  }

  @Test
  void anEmptyBatchStaysEmpty() {
    assertEquals(List.of(), FeedBatch.decode(FeedBatch.encode(new FeedBatch(List.of()))).events());
  }

  @Test
  void aCorruptBatchFailsWhenItsEventsAreRead() {
    SiblingSet one = SiblingSet.of(List.of(version("n1", 1, "a", false)));
    byte[] wire = FeedBatch.encode(new FeedBatch(List.of(event("a", 1, one), event("b", 2, one))));
    FeedBatch truncated = FeedBatch.decode(Arrays.copyOf(wire, wire.length - 1));
    assertThrows(IllegalArgumentException.class, truncated::events);
    FeedBatch trailing = FeedBatch.decode(Arrays.copyOf(wire, wire.length + 1));
    assertThrows(IllegalArgumentException.class, trailing::events);
    byte[] hugeCount = wire.clone();
    hugeCount[0] = 0x7f;
    assertThrows(IllegalArgumentException.class, FeedBatch.decode(hugeCount)::events);
  }
}
