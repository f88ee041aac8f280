package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real crashes: a child JVM writes through LevelDB or RocksDB, is killed with SIGKILL mid-stream,
 * and the test reopens its directory. Whatever the child acknowledged must be there.
 */
class EngineCrashTest {

  private static final int MIN_LINES = 2000;

  @TempDir
  Path dir;

  /** Lines a child printed before it was killed, plus its stderr for failure messages. */
  record Output(List<String> lines, String stderr) {}

  private Output runAndKill(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName()));
    command.addAll(List.of(args));
    Path stderr = dir.resolve("child.err");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    List<String> lines = new ArrayList<>();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader = new Thread(() -> readLines(child, lines, enough));
    reader.start();
    try {
      // Bounded: the latch also opens when the child's stdout ends (it died early).
      enough.await(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no LevelDB close
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child survived SIGKILL");
      reader.join(30_000);
    }
    synchronized (lines) {
      // The kill can cut the last line short ("ACK " without its key): only lines followed by
      // another one are known to be whole.
      List<String> whole = lines.isEmpty() ? List.of() : List.copyOf(lines.subList(0, lines.size() - 1));
      return new Output(whole, Files.readString(stderr));
    }
  }

  private static void readLines(Process child, List<String> lines, CountDownLatch enough) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
          if (lines.size() > MIN_LINES) {
            enough.countDown();
          }
        }
      }
    } catch (IOException e) {
      // Stream closed by the kill: the lines read so far are what the child printed.
    } finally {
      enough.countDown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"leveldb", "rocksdb"})
  void everyAcknowledgedSyncedWriteSurvivesKill9(String kind) throws Exception {
    Path db = dir.resolve("db");
    Output out = runAndKill("writer", kind, db.toString(), "4");
    List<String> acked = out.lines().stream()
        .filter(l -> l.startsWith("ACK ")).map(l -> l.substring(4)).toList();
    assertTrue(acked.size() >= MIN_LINES, "child printed only " + out.lines().size()
        + " lines; stderr:\n" + out.stderr());
    assertTrue(out.lines().stream().noneMatch(l -> l.startsWith("ERR ")), "child had write errors");
    try (StorageEngine engine = StorageEngines.open(db, StorageOptions.defaults(kind))) {
      for (String key : acked) {
        assertArrayEquals(CrashWriterMain.valueOf(key).getBytes(UTF_8), engine.get(key.getBytes(UTF_8)),
            "acknowledged key " + key + " lost or corrupted after kill -9");
      }
      int[] present = {0};
      engine.scan(new byte[0], new byte[] {(byte) 0xff}, (k, v) -> ++present[0] > 0);
      System.out.printf("kill -9 writer: %d acked, %d present after reopen (%s)%n",
          acked.size(), present[0], engine.name());
      assertTrue(present[0] >= acked.size());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"leveldb", "rocksdb"})
  void counterLeaseNeverReusesAValueAcrossKill9(String kind) throws Exception {
    Path db = dir.resolve("db");
    long max = 0;
    // Two crashes in a row: the second child starts from the first one's lease.
    for (int round = 0; round < 2; round++) {
      Output out = runAndKill("counter", kind, db.toString(), "50");
      List<Long> values = out.lines().stream()
          .filter(l -> l.startsWith("CTR ")).map(l -> Long.parseLong(l.substring(4))).toList();
      assertTrue(values.size() >= MIN_LINES, "child printed only " + values.size()
          + " values; stderr:\n" + out.stderr());
      assertTrue(values.get(0) > max, "round " + round + " reused " + values.get(0) + " <= " + max);
      max = values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
    try (StorageEngine engine = StorageEngines.open(db, StorageOptions.defaults(kind))) {
      long next = new CounterLease(engine, "dots", 50).next();
      System.out.printf("kill -9 counter: max printed %d, next after reopen %d%n", max, next);
      assertTrue(next > max, "next " + next + " <= printed " + max);
      assertEquals(kind.equals("leveldb") ? "leveldb-jni" : "rocksdb", engine.name());
    }
  }
}
