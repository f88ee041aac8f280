package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contract tests plus what only a persistent engine (LevelDB, RocksDB) has: data survives close and reopen. */
abstract class PersistentEngineContractTest extends StorageEngineContractTest {

  @TempDir
  Path dir;

  protected abstract StorageEngine open(Path dir) throws IOException;

  @Override
  protected StorageEngine open() throws IOException {
    return open(dir);
  }

  @Test
  void reopenAfterCloseKeepsData() throws IOException {
    engine.write(List.of(Mutation.put(b("kept"), b("v")), Mutation.put(b("gone"), b("x"))), false);
    engine.write(List.of(Mutation.delete(b("gone"))), true);
    engine.close();
    engine = open(dir);
    assertArrayEquals(b("v"), engine.get(b("kept")));
    assertNull(engine.get(b("gone")));
  }

  @Test
  void secondOpenOfSameDirFails() {
    // The LOCK file keeps two processes (or two engines) from sharing one directory.
    assertThrows(IOException.class, () -> open(dir).close());
  }

  /** Whether {@link EngineStats#tableBytes()} and compaction traffic are reported (the Java port does not). */
  protected boolean reportsTables() {
    return true;
  }

  @Test
  void statsCountGetsWrittenBytesAndTables() {
    Random random = new Random(3);
    long bytes = 0;
    // 4 MB of incompressible values: LevelDB reports table sizes in whole MiB.
    for (int batch = 0; batch < 40; batch++) {
      List<Mutation> mutations = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        byte[] key = b("key-" + batch + "-" + i);
        byte[] value = new byte[1000];
        random.nextBytes(value);
        mutations.add(Mutation.put(key, value));
        bytes += key.length + value.length;
      }
      mutations.add(Mutation.delete(b("gone")));
      bytes += 4;
      engine.write(mutations, false);
    }
    for (int i = 0; i < 25; i++) {
      engine.get(b("key-1-" + i));
    }
    engine.compact();
    EngineStats stats = engine.stats();
    assertEquals(25, stats.gets());
    assertEquals(bytes, stats.userBytesWritten(), "key and value bytes handed to the engine");
    if (reportsTables()) {
      assertTrue(stats.tableBytes() >= 3 << 20, "4 MB in tables after compaction: " + stats);
      assertTrue(stats.tableBytesWritten() >= 3 << 20, "flushed and compacted: " + stats);
      assertTrue(stats.writeAmplification() >= 0.75, stats.toString());
    }
    assertEquals(25, stats.gets());
  }

  @Test
  void compactKeepsEveryValue() {
    for (int i = 0; i < 500; i++) {
      put("c" + i, "v" + i);
    }
    for (int i = 0; i < 500; i += 2) {
      engine.write(List.of(Mutation.delete(b("c" + i))), false);
    }
    engine.compact();
    for (int i = 0; i < 500; i++) {
      byte[] v = engine.get(b("c" + i));
      if (i % 2 == 0) {
        assertNull(v, "c" + i);
      } else {
        assertArrayEquals(b("v" + i), v, "c" + i);
      }
    }
    engine.close();
    assertThrows(IllegalStateException.class, () -> engine.compact());
  }

  /**
   * A native engine crashes the JVM when a closed handle is used: close must wait for running
   * calls, and every later call must fail with IllegalStateException, nothing else.
   */
  @Test
  void closeUnderLoadWaitsForRunningCallsAndLaterCallsFailCleanly() throws Exception {
    for (int i = 0; i < 200; i++) {
      put("load" + i, "v" + i);
    }
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    CountDownLatch running = new CountDownLatch(4);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int kind = t;
      Thread thread = new Thread(() -> {
        running.countDown();
        try {
          for (int i = 0; ; i++) {
            switch (kind) {
              case 0 -> engine.get(b("load" + i % 200));
              case 1 -> put("load" + i % 200, "w" + i);
              case 2 -> scanKeys(b("load"), b("loae"));
              default -> engine.stats();
            }
            if (kind == 3 && i > 1_000_000) {
              return;
            }
          }
        } catch (IllegalStateException expected) {
          // The engine is closed: the only acceptable failure.
        } catch (Throwable t2) {
          unexpected.add(t2);
        }
      });
      threads.add(thread);
      thread.start();
    }
    running.await();
    Thread.sleep(50); // let the calls get going; not a synchronisation
    engine.close();
    for (Thread thread : threads) {
      thread.join(30_000);
      assertTrue(!thread.isAlive(), "a caller is stuck after close");
    }
    assertEquals(List.of(), List.copyOf(unexpected));
  }
}
