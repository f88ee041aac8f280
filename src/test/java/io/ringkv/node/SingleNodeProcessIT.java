package io.ringkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.NodeProcess;
import io.ringkv.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real processes started through the CLI contract: restarts, SIGTERM and kill -9 in sync mode. */
class SingleNodeProcessIT {

  @TempDir
  Path dir;

  private List<String> args(int port, String durability) {
    return args(port, durability, "leveldb");
  }

  private List<String> args(int port, String durability, String engine) {
    return List.of("--http-port", Integer.toString(port), "--seeds", "", "--join", "none",
        "--data-dir", dir.resolve("n1").toString(), "--n", "1", "--r", "1", "--w", "1", "--durability", durability,
        "--engine", engine);
  }

  @ParameterizedTest
  @ValueSource(strings = {"leveldb", "rocksdb"})
  void syncModeKeepsEveryAcknowledgedWriteAcrossKill9(String engine) throws Exception {
    int port = TestNodes.freePort();
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    try (NodeProcess node = new NodeProcess("n1", args(port, "sync", engine)).start().awaitReady(60)) {
      HttpProbe http = new HttpProbe(port);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService writers = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        int thread = t;
        writers.submit(() -> {
          for (int i = 0; !stop.get(); i++) {
            String key = "k-" + thread + "-" + i;
            try {
              if (http.put("/kv/" + key, "value-" + key).status() == 204) {
                acked.add(key);
              }
            } catch (RuntimeException e) {
              return; // the process died under us: this write was not acknowledged
            }
          }
        });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < 1500 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      node.kill9();
      stop.set(true);
      writers.shutdown();
      assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
      node.assertNoBlockedThreads();
    }
    assertTrue(acked.size() >= 1500, "only " + acked.size() + " writes acknowledged");

    try (NodeProcess restarted = new NodeProcess("n1", args(port, "sync", engine)).start().awaitReady(60)) {
      HttpProbe http = new HttpProbe(port);
      List<String> missing = new ArrayList<>();
      for (String key : acked) {
        HttpProbe.Reply r = http.get("/kv/" + key);
        if (r.status() != 200 || !r.text().equals("value-" + key)) {
          missing.add(key + "=" + r.status());
        }
      }
      assertEquals(List.of(), missing, "acknowledged writes lost after kill -9 (of " + acked.size() + ")");
      restarted.assertNoBlockedThreads();
    }
  }

  @Test
  void sigtermExitsZeroAndARestartServesEverything() throws Exception {
    int port = TestNodes.freePort();
    try (NodeProcess node = new NodeProcess("n1", args(port, "async")).start().awaitReady(60)) {
      HttpProbe http = new HttpProbe(port);
      for (int i = 0; i < 300; i++) {
        assertEquals(204, http.put("/kv/key-" + i, "v" + i).status());
      }
      long started = System.nanoTime();
      assertEquals(0, node.terminate(15), "exit code after SIGTERM");
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "SIGTERM took over 10 s");
      node.assertNoBlockedThreads();
    }
    try (NodeProcess node = new NodeProcess("n1", args(port, "async")).start().awaitReady(60)) {
      HttpProbe http = new HttpProbe(port);
      for (int i = 0; i < 300; i++) {
        HttpProbe.Reply r = http.get("/kv/key-" + i);
        assertEquals(200, r.status(), "key-" + i);
        assertEquals("v" + i, r.text());
      }
    }
  }

  @Test
  void badConfigurationExitsNonZeroWithOneLine() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toString(), "node", "--r", "5", "--n", "3")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertTrue(p.exitValue() != 0, "exit code");
    assertTrue(out.contains("r must be 1..n"), out);
    assertEquals(1, out.lines().count(), "one line: " + out);
  }

  /** The data dir says rocksdb: a node told to use leveldb exits at once, with one line naming both. */
  @Test
  void anotherEnginesDataDirExitsNonZeroWithOneLine() throws Exception {
    Path data = dir.resolve("n1");
    Files.createDirectories(data);
    Files.writeString(data.resolve("ENGINE"), "rocksdb\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toString(), "node", "--join", "none", "--seeds", "", "--n", "1", "--r", "1",
        "--w", "1", "--http-port", "0", "--data-dir", data.toString(), "--engine", "leveldb")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(2, p.exitValue(), "exit code: " + out);
    assertEquals("ringkv: bad configuration: data dir " + data + " holds rocksdb data but the node is configured"
        + " with engine leveldb: start it with --engine rocksdb, or give it an empty data dir", out);
    assertTrue(Files.notExists(data.resolve("leveldb")));
  }
}
