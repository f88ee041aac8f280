package io.ringkv.feed;

import static io.ringkv.feed.FeedEventTest.version;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringkv.messaging.FeedBatch;
import io.ringkv.messaging.FeedEvent;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writes one event-loop turn acknowledges leave as one batch, every event in order; none is lost. */
class FeedPublisherTest {
  private static final String ADDRESS = "test.feed.events";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static SiblingSet value(String v) {
    return SiblingSet.of(List.of(version("n1", 1, v, false)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(FeedBatch batch) {
    return batch.events().stream().map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aTurnsEventsLeaveAsOneBatchInOrderAndTheNextTurnsAsAnother() throws Exception {
    FeedPublisher publisher = new FeedPublisher(vertx, ADDRESS);
    List<FeedBatch> received = new CopyOnWriteArrayList<>();
    Promise<Void> two = Promise.promise();
    vertx.eventBus().<FeedBatch>consumer(ADDRESS, m -> {
      received.add(m.body());
      if (received.size() == 2) {
        two.tryComplete();
      }
    }).completion().await(10, TimeUnit.SECONDS);
    vertx.getOrCreateContext().runOnContext(v -> {
      publisher.written(bytes("a"), value("1"), "n1");
      publisher.written(bytes("b"), SiblingSet.empty(), "n1"); // nothing to tell: not published
      publisher.written(bytes("c"), value("2"), "n1");
      publisher.written(bytes("d"), value("3"), "n1");
      vertx.runOnContext(next -> publisher.written(bytes("e"), value("4"), "n1")); // a later turn
    });
    two.future().await(10, TimeUnit.SECONDS);
    assertEquals(List.of("a", "c", "d"), keys(received.get(0)));
    assertEquals(List.of("e"), keys(received.get(1)));
    List<Long> seqs = received.stream().flatMap(b -> b.events().stream()).map(FeedEvent::seq).toList();
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs, "one sequence per node, increasing by one per event");
  }

  @Test
  void aWriteOutsideAnEventLoopIsPublishedAtOnce() throws Exception {
    FeedPublisher publisher = new FeedPublisher(vertx, ADDRESS);
    Promise<FeedBatch> got = Promise.promise();
    vertx.eventBus().<FeedBatch>consumer(ADDRESS, m -> got.tryComplete(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    publisher.written(bytes("outside"), value("x"), "n2");
    assertEquals(List.of("outside"), keys(got.future().await(10, TimeUnit.SECONDS)));
  }
}
