package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures group-commit throughput: W closed-loop writers (each waits for its update before the
 * next, like W HTTP clients) of 100-byte values through one GroupCommitWriter on LevelDB.
 * Prints numbers only; no assertions (timings on shared CI machines are noise).
 *
 * <pre>java -cp ... io.ringkv.storage.GroupCommitBenchMain [writers=50] [seconds=5]</pre>
 */
public final class GroupCommitBenchMain {

  private GroupCommitBenchMain() {}

  public static void main(String[] args) throws Exception {
    int writers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    run(writers, seconds, true);
    run(writers, seconds, false);
    run(1, 2, true); // no one to group with: one fsync per update
  }

  static void run(int writers, int seconds, boolean sync) throws Exception {
    Path dir = Files.createTempDirectory("ringkv-bench");
    try (LevelDbEngine engine = LevelDbEngine.open(dir, LevelDbSettings.defaults());
        GroupCommitWriter writer = new GroupCommitWriter(engine, sync, 512, 100_000)) {
      LongAdder done = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        Thread t = new Thread(() -> writeUntil(writer, stop, done));
        threads.add(t);
        t.start();
      }
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L); // a benchmark's fixed measuring window, not a test wait
      stop.set(true);
      double elapsed = (System.nanoTime() - start) / 1e9;
      for (Thread t : threads) {
        t.join(10_000);
      }
      System.out.printf("%s sync=%-5s writers=%d: %.0f updates/s, %d batches, %.1f updates/batch%n",
          engine.name(), sync, writers, done.sum() / elapsed, writer.batchesWritten(),
          (double) writer.updatesWritten() / Math.max(1, writer.batchesWritten()));
    } finally {
      deleteTree(dir);
    }
  }

  private static void writeUntil(GroupCommitWriter writer, AtomicBoolean stop, LongAdder done) {
    byte[] value = new byte[100];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!stop.get()) {
      random.nextBytes(value);
      byte[] v = value.clone();
      byte[] key = KeyLayout.dataKey(random.nextInt(1024), ("key-" + random.nextInt(100_000)).getBytes(UTF_8));
      writer.update(key, old -> v).join();
      done.increment();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }
}
