package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringkv.messaging.FeedEvent;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedEventTest {
  static Version version(String actor, long counter, String value, boolean tombstone) {
    return new Version(new Dot(actor, counter), VersionVector.empty(), 1_700_000_000_000L + counter, tombstone,
        tombstone ? null : "text/plain", tombstone ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTripsThroughTheWireForm() {
    SiblingSet set = SiblingSet.of(List.of(version("n1", 1, "a", false), version("n2", 1, "b", false)));
    FeedEvent e = new FeedEvent("user/é".getBytes(StandardCharsets.UTF_8), set, "n2", 77);
    FeedEvent back = FeedEvent.decode(FeedEvent.encode(e));
    assertArrayEquals(e.key(), back.key());
    assertEquals(set, back.siblings());
    assertEquals("n2", back.coordinator());
    assertEquals(77, back.seq());
  }

  @Test
  void refusesTruncatedAndTrailingBytes() {
    SiblingSet set = SiblingSet.of(List.of(version("n1", 1, "a", false)));
    byte[] wire = FeedEvent.encode(new FeedEvent(new byte[] {'k'}, set, "n1", 1));
    assertThrows(IllegalArgumentException.class, () -> FeedEvent.decode(Arrays.copyOf(wire, wire.length - 1)));
    assertThrows(IllegalArgumentException.class, () -> FeedEvent.decode(Arrays.copyOf(wire, wire.length + 1)));
  }

  @Test
  void rendersUpdateForOneSiblingAndConflictForMore() {
    SiblingSet one = SiblingSet.of(List.of(version("n1", 1, "a", false)));
    JsonObject update = new JsonObject(FeedFrames.event(new FeedEvent("k".getBytes(StandardCharsets.UTF_8), one, "n3", 1)));
    assertEquals("update", update.getString("type"));
    assertEquals("k", update.getString("key"));
    assertEquals("n3", update.getString("coordinator"));
    assertEquals(1, update.getJsonArray("siblings").size());
    assertEquals("a", update.getJsonArray("siblings").getJsonObject(0).getString("value"));

    SiblingSet withTombstone = SiblingSet.of(List.of(version("n1", 1, "a", false), version("n2", 1, null, true)));
    JsonObject conflict = new JsonObject(FeedFrames.event(new FeedEvent("k".getBytes(StandardCharsets.UTF_8),
        withTombstone, "n1", 2)));
    assertEquals("conflict", conflict.getString("type"), "a concurrent tombstone counts as a sibling");
    assertEquals(2, conflict.getJsonArray("siblings").size());
    assertEquals(true, conflict.getJsonArray("siblings").getJsonObject(1).getBoolean("deleted"));
  }
}
