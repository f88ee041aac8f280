package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GroupCommitWriter behaviour, run against each engine by a subclass. */
abstract class GroupCommitWriterContractTest {

  static final byte[] COUNTER = "counter".getBytes(UTF_8);
  static final UnaryOperator<byte[]> INCREMENT = v -> longBytes(v == null ? 1 : toLong(v) + 1);

  protected ControllableEngine engine;
  private final List<GroupCommitWriter> writers = new ArrayList<>();

  protected abstract StorageEngine openEngine() throws Exception;

  /** Whether the concurrency test syncs (LevelDB: yes, that is the case group commit exists for). */
  protected abstract boolean sync();

  @BeforeEach
  void setUp() throws Exception {
    engine = new ControllableEngine(openEngine());
  }

  @AfterEach
  void tearDown() {
    engine.release();
    writers.forEach(GroupCommitWriter::close);
    engine.close();
  }

  /** The row cache the writer keeps up to date (a subclass runs the contract with one). */
  protected RowCache rowCache() {
    return RowCache.disabled();
  }

  GroupCommitWriter writer(int maxBatch, int maxQueued) {
    return writer(rowCache(), maxBatch, maxQueued);
  }

  GroupCommitWriter writer(RowCache cache, int maxBatch, int maxQueued) {
    GroupCommitWriter w = new GroupCommitWriter(engine, cache, sync(), maxBatch, maxQueued);
    writers.add(w);
    return w;
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  static long toLong(byte[] v) {
    return ByteBuffer.wrap(v).getLong();
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void concurrentIncrementsAreExactAndGrouped() throws Exception {
    GroupCommitWriter w = writer(512, 100_000);
    int threads = 8;
    int perThread = 5000;
    List<Thread> workers = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          // Up to 50 in flight per thread, like a busy node with many open requests.
          for (int done = 0; done < perThread; done += 50) {
            List<CompletableFuture<byte[]>> window = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
              window.add(w.update(COUNTER, INCREMENT));
            }
            for (CompletableFuture<byte[]> f : window) {
              await(f);
            }
          }
        } catch (Throwable e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(120_000);
    }
    assertEquals(List.of(), errors);
    String state = engine.name() + ": " + w.updatesWritten() + " updates completed in " + w.batchesWritten()
        + " batches, " + w.queued() + " queued";
    assertEquals(threads * perThread, w.updatesWritten(), state);
    assertEquals(threads * perThread, toLong(engine.get(COUNTER)), "every completed increment is stored; " + state);
    System.out.printf("%s sync=%s: %d updates in %d batches (%.1f per batch)%n", engine.name(), sync(),
        w.updatesWritten(), w.batchesWritten(), (double) w.updatesWritten() / w.batchesWritten());
    assertTrue(w.batchesWritten() < w.updatesWritten(), "no grouping at all");
  }

  /** A caller that sees its update complete also sees it counted (the meter and tests read the count). */
  @Test
  void anUpdateIsCountedBeforeItsFutureCompletes() throws Exception {
    GroupCommitWriter w = writer(512, 100);
    engine.holdNextWrite();
    // Attached while the write is held, so it runs on the writer thread at the moment of completion.
    CompletableFuture<Long> countSeenAtCompletion = w.update(COUNTER, INCREMENT).thenApply(v -> w.updatesWritten());
    engine.awaitBlocked();
    engine.release();
    assertEquals(1L, countSeenAtCompletion.get(10, TimeUnit.SECONDS));
  }

  @Test
  void updatesQueuedDuringAWriteShareTheNextBatches() throws Exception {
    GroupCommitWriter w = writer(512, 100_000);
    engine.holdNextWrite();
    CompletableFuture<byte[]> first = w.update(COUNTER, INCREMENT);
    engine.awaitBlocked();
    List<CompletableFuture<byte[]>> rest = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rest.add(w.update(COUNTER, INCREMENT));
    }
    assertEquals(1000, w.queued());
    engine.release();
    await(first);
    for (int i = 0; i < rest.size(); i++) {
      assertEquals(i + 2, toLong(await(rest.get(i))), "updates of one key apply in queue order");
    }
    assertEquals(1 + 2, w.batchesWritten(), "1 held write + 1000 updates in batches of at most 512");
    assertEquals(1001, w.updatesWritten());
  }

  @Test
  void fnSeesEarlierUpdatesAndWritesOfTheSameBatch() throws Exception {
    GroupCommitWriter w = writer(512, 1000);
    byte[] key = "k".getBytes(UTF_8);
    engine.holdNextWrite();
    w.update("other".getBytes(UTF_8), INCREMENT);
    engine.awaitBlocked();
    CompletableFuture<Void> put = w.write(List.of(Mutation.put(key, "a".getBytes(UTF_8))));
    CompletableFuture<byte[]> b = w.update(key, v -> (new String(v, UTF_8) + "b").getBytes(UTF_8));
    CompletableFuture<byte[]> del = w.update(key, v -> null);
    CompletableFuture<byte[]> c = w.update(key, v -> (v == null ? "c" : "?").getBytes(UTF_8));
    engine.release();
    assertNull(await(put));
    assertEquals("ab", new String(await(b), UTF_8));
    assertNull(await(del));
    assertEquals("c", new String(await(c), UTF_8));
    assertArrayEquals("c".getBytes(UTF_8), engine.get(key));
    assertEquals(2, w.batchesWritten());
  }

  @Test
  void returningTheSameInstanceWritesNothing() throws Exception {
    GroupCommitWriter w = writer(512, 1000);
    await(w.update(COUNTER, INCREMENT));
    long batches = w.batchesWritten();
    byte[] seen = await(w.update(COUNTER, v -> v));
    assertEquals(1, toLong(seen));
    assertNull(await(w.update("absent".getBytes(UTF_8), v -> v)));
    assertEquals(batches, w.batchesWritten());
  }

  @Test
  void throwingFnFailsOnlyItsOwnUpdate() throws Exception {
    GroupCommitWriter w = writer(512, 1000);
    engine.holdNextWrite();
    w.update("other".getBytes(UTF_8), INCREMENT);
    engine.awaitBlocked();
    CompletableFuture<byte[]> before = w.update(COUNTER, INCREMENT);
    CompletableFuture<byte[]> bad = w.update(COUNTER, v -> {
      throw new IllegalArgumentException("bad merge");
    });
    CompletableFuture<byte[]> after = w.update(COUNTER, INCREMENT);
    engine.release();
    assertEquals(1, toLong(await(before)));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(bad));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals(2, toLong(await(after)));
    assertEquals(2, toLong(engine.get(COUNTER)));
  }

  @Test
  void failedEngineWriteFailsItsBatchAndTheWriterKeepsGoing() throws Exception {
    GroupCommitWriter w = writer(512, 1000);
    engine.failNextWrites(1);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(w.update(COUNTER, INCREMENT)));
    assertEquals("injected write failure", e.getCause().getMessage());
    assertNull(engine.get(COUNTER));
    assertEquals(1, toLong(await(w.update(COUNTER, INCREMENT))));
  }

  /**
   * The applied step: an update's result is announced while its batch is still being written,
   * what it announces is what is then stored, and only the durable future says it is stored.
   */
  @Test
  void appliedAnnouncesTheResultBeforeTheWriteIsDurable() throws Exception {
    GroupCommitWriter w = writer(512, 1000);
    engine.holdNextWrite();
    CompletableFuture<byte[]> applied = new CompletableFuture<>();
    CompletableFuture<byte[]> durable = w.update(COUNTER, INCREMENT, applied);
    engine.awaitBlocked();
    assertEquals(1, toLong(applied.get(10, TimeUnit.SECONDS)), "announced while the write is held");
    assertTrue(!durable.isDone(), "durable before the engine write returned");
    assertNull(engine.get(COUNTER), "nothing stored yet");
    engine.release();
    assertEquals(1, toLong(await(durable)));
    assertEquals(1, toLong(engine.get(COUNTER)));
    // Updates of one key queued behind a held write are announced in order, each on the last.
    engine.holdNextWrite();
    w.update("other".getBytes(UTF_8), INCREMENT);
    engine.awaitBlocked();
    List<CompletableFuture<byte[]>> announced = new ArrayList<>();
    List<CompletableFuture<byte[]>> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<byte[]> a = new CompletableFuture<>();
      announced.add(a);
      stored.add(w.update(COUNTER, INCREMENT, a));
    }
    engine.release();
    for (int i = 0; i < 5; i++) {
      assertEquals(2 + i, toLong(await(announced.get(i))));
      assertEquals(2 + i, toLong(await(stored.get(i))));
    }
    assertEquals(0, w.failedWrites());
  }

  /** A write that fails after its result was announced is counted before its future fails. */
  @Test
  void aFailedWriteFailsTheDurableFutureOfAnAnnouncedUpdateAndIsCounted() throws Exception {
    GroupCommitWriter w = writer(512, 1000);
    engine.failNextWrites(1);
    CompletableFuture<byte[]> applied = new CompletableFuture<>();
    long[] failedWhenItFailed = {-1};
    CompletableFuture<byte[]> durable = w.update(COUNTER, INCREMENT, applied)
        .whenComplete((v, e) -> failedWhenItFailed[0] = w.failedWrites());
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(durable));
    assertEquals("injected write failure", e.getCause().getMessage());
    assertEquals(1, failedWhenItFailed[0]);
    assertEquals(1, toLong(await(applied)), "announced before the write failed");
    assertNull(engine.get(COUNTER));
    CompletableFuture<byte[]> bad = new CompletableFuture<>();
    CompletableFuture<byte[]> badDurable = w.update(COUNTER, v -> {
      throw new IllegalArgumentException("bad merge");
    }, bad);
    assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class, () -> await(bad)).getCause());
    assertThrows(ExecutionException.class, () -> await(badDurable));
    assertEquals(1, w.failedWrites(), "a failing function is not a failed write");
    CompletableFuture<byte[]> next = new CompletableFuture<>();
    assertEquals(1, toLong(await(w.update(COUNTER, INCREMENT, next))));
    assertEquals(1, toLong(await(next)));
  }

  @Test
  void anUpdateRefusedByAFullQueueFailsItsAppliedFutureToo() throws Exception {
    GroupCommitWriter w = writer(512, 1);
    engine.holdNextWrite();
    CompletableFuture<byte[]> held = w.update(COUNTER, INCREMENT);
    engine.awaitBlocked();
    CompletableFuture<byte[]> queued = w.update(COUNTER, INCREMENT);
    CompletableFuture<byte[]> applied = new CompletableFuture<>();
    CompletableFuture<byte[]> refused = w.update(COUNTER, INCREMENT, applied);
    assertTrue(refused.isCompletedExceptionally());
    assertTrue(applied.isCompletedExceptionally(), "a refused update must not leave its applied future hanging");
    engine.release();
    await(held);
    assertEquals(2, toLong(await(queued)));
  }

  /**
   * A caller that sees its update complete reads it from the row cache too; a failed batch leaves
   * the cache as it was; a plain write drops the key from the cache rather than guess.
   */
  @Test
  void theRowCacheHoldsExactlyWhatWasCommitted() throws Exception {
    RowCache cache = RowCache.ofBytes(1 << 20);
    GroupCommitWriter w = writer(cache, 512, 1000);
    CompletableFuture<byte[]> seenAtCompletion = w.update(COUNTER, INCREMENT)
        .thenApply(v -> cache.lookup(COUNTER).record());
    assertEquals(1, toLong(await(seenAtCompletion)));
    // While a batch is being written its keys are misses, so no reader caches what it replaces.
    engine.holdNextWrite();
    CompletableFuture<byte[]> held = w.update(COUNTER, INCREMENT);
    engine.awaitBlocked();
    assertNull(cache.lookup(COUNTER), "a key whose write is in flight is not a hit");
    assertArrayEquals(longBytes(1), cache.load(COUNTER, engine::get), "a reader then reads the engine");
    assertNull(cache.lookup(COUNTER), "and does not cache what it read");
    engine.release();
    assertEquals(2, toLong(await(held)));
    assertEquals(2, toLong(cache.lookup(COUNTER).record()));
    engine.failNextWrites(1);
    assertThrows(ExecutionException.class, () -> await(w.update(COUNTER, INCREMENT)));
    assertNull(cache.lookup(COUNTER), "a failed write drops the key (its in-flight mark ends)");
    assertEquals(3, toLong(await(w.update(COUNTER, INCREMENT))), "and the next update starts from the stored 2");
    await(w.write(List.of(Mutation.put(COUNTER, longBytes(40)))));
    assertNull(cache.lookup(COUNTER), "a plain write is not cached");
    assertEquals(41, toLong(await(w.update(COUNTER, INCREMENT))), "the next update reads the engine");
    assertEquals(41, toLong(cache.lookup(COUNTER).record()));
    assertEquals(41, toLong(engine.get(COUNTER)));
  }

  /**
   * Readers going through a row cache small enough to evict all the time, next to a writer
   * incrementing 16 counters: no reader ever sees a counter go back, and at the end cache and
   * engine agree on every counter.
   */
  @Test
  void readersThroughTheRowCacheNeverSeeACounterGoBack() throws Exception {
    int keys = 16;
    RowCache cache = RowCache.ofBytes(6L * (RowCache.ENTRY_OVERHEAD_BYTES + 16));
    GroupCommitWriter w = writer(cache, 512, 100_000);
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread reader = new Thread(() -> {
        long[] seen = new long[keys];
        java.util.Random random = new java.util.Random();
        while (writing.get()) {
          int k = random.nextInt(keys);
          byte[] key = ("c" + k).getBytes(UTF_8);
          RowCache.Slot hit = cache.lookup(key);
          byte[] v = hit != null ? hit.record() : cache.load(key, engine::get);
          long now = v == null ? 0 : toLong(v);
          if (now < seen[k]) {
            errors.add(new AssertionError("counter c" + k + " went back from " + seen[k] + " to " + now
                + (hit != null ? " (a cache hit)" : "")));
            return;
          }
          seen[k] = now;
        }
      });
      reader.start();
      readers.add(reader);
    }
    List<CompletableFuture<byte[]>> window = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      window.add(w.update(("c" + (i % keys)).getBytes(UTF_8), INCREMENT));
      if (window.size() == 64) {
        for (CompletableFuture<byte[]> f : window) {
          await(f);
        }
        window.clear();
      }
    }
    for (CompletableFuture<byte[]> f : window) {
      await(f);
    }
    writing.set(false);
    for (Thread reader : readers) {
      reader.join(30_000);
    }
    assertEquals(List.of(), errors);
    for (int k = 0; k < keys; k++) {
      byte[] key = ("c" + k).getBytes(UTF_8);
      assertEquals(20_000 / keys, toLong(engine.get(key)));
      RowCache.Slot hit = cache.lookup(key);
      if (hit != null) {
        assertEquals(20_000 / keys, toLong(hit.record()), "cache of c" + k);
      }
    }
  }

  @Test
  void fullQueueFailsAtOnceWithStorageBusy() throws Exception {
    GroupCommitWriter w = writer(512, 10);
    engine.holdNextWrite();
    CompletableFuture<byte[]> held = w.update(COUNTER, INCREMENT);
    engine.awaitBlocked();
    List<CompletableFuture<byte[]>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      queued.add(w.update(COUNTER, INCREMENT));
    }
    CompletableFuture<byte[]> rejected = w.update(COUNTER, INCREMENT);
    assertTrue(rejected.isCompletedExceptionally(), "must fail at once, not wait");
    CompletionException e = assertThrows(CompletionException.class, rejected::join);
    assertInstanceOf(StorageBusyException.class, e.getCause());
    engine.release();
    await(held);
    for (CompletableFuture<byte[]> f : queued) {
      await(f);
    }
    assertEquals(11, toLong(engine.get(COUNTER)));
  }

  @Test
  void closeDrainsQueueThenRejects() throws Exception {
    GroupCommitWriter w = writer(7, 1000);
    engine.holdNextWrite();
    List<CompletableFuture<byte[]>> all = new ArrayList<>();
    all.add(w.update(COUNTER, INCREMENT));
    engine.awaitBlocked();
    for (int i = 0; i < 99; i++) {
      all.add(w.update(COUNTER, INCREMENT));
    }
    Thread closer = new Thread(w::close);
    closer.start();
    engine.release();
    closer.join(30_000);
    assertTrue(!closer.isAlive(), "close did not return");
    for (CompletableFuture<byte[]> f : all) {
      assertTrue(f.isDone(), "close returned before draining");
      await(f);
    }
    assertEquals(100, toLong(engine.get(COUNTER)));
    CompletableFuture<byte[]> late = w.update(COUNTER, INCREMENT);
    CompletionException e = assertThrows(CompletionException.class, late::join);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertSame(IllegalStateException.class, assertThrows(CompletionException.class,
        () -> w.write(List.of(Mutation.delete(COUNTER))).join()).getCause().getClass());
  }
}
