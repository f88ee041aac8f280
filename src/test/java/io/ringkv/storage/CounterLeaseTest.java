package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class CounterLeaseTest {

  /** Counts synced writes, to show leases cost one fsync per block, not per value. */
  static final class CountingEngine implements StorageEngine {
    final MemoryEngine delegate = new MemoryEngine();
    final AtomicInteger syncedWrites = new AtomicInteger();

    @Override public byte[] get(byte[] key) {
      return delegate.get(key);
    }

    @Override public void write(List<Mutation> batch, boolean sync) {
      assertTrue(sync, "a lease must be synced before values are handed out");
      syncedWrites.incrementAndGet();
      delegate.write(batch, sync);
    }

    @Override public void scan(byte[] f, byte[] t, BiPredicate<byte[], byte[]> v) {
      delegate.scan(f, t, v);
    }

    @Override public String name() {
      return "counting";
    }

    @Override public void close() {
      delegate.close();
    }
  }

  static long stored(StorageEngine engine, String name) {
    return ByteBuffer.wrap(engine.get(KeyLayout.metaKey(name))).getLong();
  }

  @Test
  void handsOutConsecutiveValuesAndReservesAheadOfThem() {
    CountingEngine engine = new CountingEngine();
    CounterLease lease = new CounterLease(engine, "dots", 10);
    assertEquals(1, engine.syncedWrites.get());
    assertEquals(10, stored(engine, "dots"));
    for (long expected = 1; expected <= 25; expected++) {
      assertEquals(expected, lease.peek());
      assertEquals(expected, lease.next());
      assertTrue(stored(engine, "dots") >= expected, "handed out a value that is not reserved");
    }
    assertEquals(30, stored(engine, "dots"));
    assertEquals(3, engine.syncedWrites.get());
  }

  @Test
  void restartSkipsTheRestOfTheOldLease() {
    MemoryEngine engine = new MemoryEngine();
    CounterLease first = new CounterLease(engine, "dots", 100);
    long last = 0;
    for (int i = 0; i < 150; i++) {
      last = first.next();
    }
    CounterLease second = new CounterLease(engine, "dots", 100); // as after a crash: no clean shutdown
    assertEquals(201, second.next());
    assertTrue(second.peek() > last);
    assertEquals(1, new CounterLease(engine, "other", 5).next(), "names are independent");
  }

  @Test
  void concurrentCallersGetUniqueValues() throws Exception {
    CounterLease lease = new CounterLease(new MemoryEngine(), "dots", 7);
    List<Set<Long>> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Set<Long> mine = new HashSet<>();
      perThread.add(mine);
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          mine.add(lease.next());
        }
      });
      threads.add(thread);
      thread.start();
    }
    Set<Long> all = new HashSet<>();
    for (int t = 0; t < threads.size(); t++) {
      threads.get(t).join(30_000);
      all.addAll(perThread.get(t));
    }
    assertEquals(40_000, all.size());
    assertEquals(40_001, lease.peek());
  }

  @Test
  void rejectsBadInput() {
    MemoryEngine engine = new MemoryEngine();
    assertThrows(IllegalArgumentException.class, () -> new CounterLease(engine, "x", 0));
    engine.write(List.of(Mutation.put(KeyLayout.metaKey("bad"), new byte[3])), true);
    assertThrows(IllegalArgumentException.class, () -> new CounterLease(engine, "bad", 10));
  }
}
