package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The writer's change observer (what keeps the Merkle trees current): every change an update
 * makes, with the record before the batch and after it, before the write; undone if the write
 * fails; plain mutations not reported.
 */
class GroupCommitWriterObserverTest {
  private record Change(String key, String before, String after) {}

  private static String text(byte[] b) {
    return b == null ? null : new String(b);
  }

  @Test
  void reportsEveryUpdateOnceWithItsOldAndNewRecordAndUndoesFailedWrites() throws Exception {
    ControllableEngine engine = new ControllableEngine(new MemoryEngine());
    List<Change> seen = Collections.synchronizedList(new ArrayList<>());
    try (GroupCommitWriter writer = new GroupCommitWriter(engine, RowCache.ofBytes(1 << 20), false, 64, 1_000)) {
      writer.observe((key, before, after) -> seen.add(new Change(text(key), text(before), text(after))));
      writer.update("a".getBytes(), old -> "1".getBytes()).get(5, TimeUnit.SECONDS);
      assertEquals(List.of(new Change("a", null, "1")), seen, "an insert: nothing before");

      seen.clear();
      engine.holdNextWrite();
      CompletableFuture<Void> blocker = writer.write(List.of(Mutation.put("meta".getBytes(), "m".getBytes())));
      engine.awaitBlocked();
      // Queued behind the held batch, these three go into one batch: a and b once each, with the
      // record from before the batch and the last one.
      CompletableFuture<byte[]> a2 = writer.update("a".getBytes(), old -> "2".getBytes());
      CompletableFuture<byte[]> a3 = writer.update("a".getBytes(), old -> "3".getBytes());
      CompletableFuture<byte[]> b = writer.update("b".getBytes(), old -> "x".getBytes());
      engine.release();
      CompletableFuture.allOf(blocker, a2, a3, b).get(5, TimeUnit.SECONDS);
      assertEquals(List.of(new Change("a", "1", "3"), new Change("b", null, "x")), seen,
          "plain mutations are not reported");

      seen.clear();
      engine.failNextWrites(1);
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> writer.update("a".getBytes(), old -> null).get(5, TimeUnit.SECONDS));
      assertEquals("injected write failure", failed.getCause().getMessage());
      assertEquals(List.of(new Change("a", "3", null), new Change("a", null, "3")), seen,
          "a failed write is reported back");
      assertArrayEquals("3".getBytes(), engine.get("a".getBytes()));

      seen.clear();
      writer.update("a".getBytes(), old -> old).get(5, TimeUnit.SECONDS);
      assertEquals(List.of(), seen, "an update that changes nothing is not a change");
      writer.update("a".getBytes(), old -> null).get(5, TimeUnit.SECONDS);
      assertEquals(List.of(new Change("a", "3", null)), seen);
      assertNull(engine.get("a".getBytes()));
    }
  }
}
