package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.BinaryCodec;
import io.ringkv.messaging.ReplicaReply;
import io.ringkv.messaging.ReplicaRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A send that throws instead of failing its reply (Vert.x 5.0.7's clustered event bus does so when
 * the connection to a node just broke) fails that node's requests at once, and the other nodes'
 * requests of the same turn still go out and get their answers.
 */
class ReplicaOutboxTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSendThatThrowsFailsOnlyItsOwnRequests() throws Exception {
    // Only single requests have a codec here: the two-request batch to n2 makes the event bus throw
    // at send time ("no message codec"), as a broken connection would.
    vertx.eventBus().registerDefaultCodec(ReplicaRequest.class,
        new BinaryCodec<>("test.ReplicaRequest", ReplicaRequest::encode, ReplicaRequest::decode));
    vertx.eventBus().registerDefaultCodec(ReplicaReply.class,
        new BinaryCodec<>("test.ReplicaReply", ReplicaReply::encode, ReplicaReply::decode));
    vertx.eventBus().<ReplicaRequest>consumer(Addresses.storage("n3"), m -> m.reply(ReplicaReply.ACK))
        .completion().await(10, TimeUnit.SECONDS);
    Counter counter = new SimpleMeterRegistry().counter("batches");
    Context context = vertx.getOrCreateContext();
    Promise<List<Future<ReplicaReply>>> asked = Promise.promise();
    context.runOnContext(v -> {
      ReplicaOutbox outbox = new ReplicaOutbox(vertx.eventBus(), context, counter, counter);
      ReplicaRequest read = ReplicaRequest.read(7, "k".getBytes(StandardCharsets.UTF_8));
      asked.complete(List.of(outbox.ask("n2", read, 60_000), outbox.ask("n2", read, 60_000),
          outbox.ask("n3", read, 60_000)));
    });
    List<Future<ReplicaReply>> replies = asked.future().await(10, TimeUnit.SECONDS);
    Future.join(replies).otherwiseEmpty().await(10, TimeUnit.SECONDS); // all settle long before the 60 s timeout
    assertTrue(replies.get(0).failed() && replies.get(1).failed(), "the requests to n2 fail at once");
    assertEquals(ReplicaReply.ACK, replies.get(2).result(), "n3's request of the same turn is still sent and answered");
  }
}
