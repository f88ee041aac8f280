package io.ringkv.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves the guard really sees Vert.x's blocked-thread warnings (else every other test means less). */
class BlockedThreadGuardTest {

  @Test
  void seesABlockedEventLoop() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20)
        .setMaxEventLoopExecuteTime(50)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      vertx.runOnContext(v -> busyWait(Duration.ofMillis(400)));
      List<String> seen = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        seen = BlockedThreadGuard.drain();
        Thread.onSpinWait();
      }
      assertFalse(seen.isEmpty(), "no blocked-thread warning was captured");
      assertTrue(seen.get(0).contains("has been blocked"), seen.get(0));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      BlockedThreadGuard.drain();
    }
  }

  private static void busyWait(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
