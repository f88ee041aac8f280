package io.ringkv.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One timer, armed for the earliest deadline: a shorter timeout added after a long one still fires on time. */
class RequestTimersTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aShorterTimeoutAddedLaterFiresFirstAndACancelledOneNever() throws Exception {
    Context context = vertx.getOrCreateContext();
    List<String> fired = new CopyOnWriteArrayList<>();
    Promise<Long> shortFired = Promise.promise();
    Promise<RequestTimers> started = Promise.promise();
    long[] t0 = new long[1];
    context.runOnContext(v -> {
      RequestTimers timers = new RequestTimers(vertx);
      t0[0] = System.nanoTime();
      timers.schedule(60_000, () -> fired.add("long"));
      Deadlines.Entry cancelled = timers.schedule(30, () -> fired.add("cancelled"));
      timers.schedule(100, () -> {
        fired.add("short");
        shortFired.complete(System.nanoTime());
      });
      cancelled.cancel();
      started.complete(timers);
    });
    RequestTimers timers = started.future().await(10, TimeUnit.SECONDS);
    long firedAt = shortFired.future().await(10, TimeUnit.SECONDS);
    long afterMs = (firedAt - t0[0]) / 1_000_000;
    assertTrue(afterMs >= 99 && afterMs < 5_000, "the 100 ms timeout fired after " + afterMs + " ms");
    assertEquals(List.of("short"), fired, "neither the cancelled nor the 60 s deadline fired");
    Promise<Integer> pending = Promise.promise();
    context.runOnContext(v -> pending.complete(timers.pending()));
    assertEquals(1, pending.future().await(10, TimeUnit.SECONDS), "the 60 s deadline is still pending");
  }
}
