package io.ringkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real node: it writes like a client that carries X-Context. A read
 * (or the returnbody answer to its first write of a key) hands it the context of every sibling, so
 * its next write of that key replaces them; a 204 hands it the context of its own write only, so
 * a write that raced another connection's stays a sibling until a read sees both. A write-only
 * load of a few hot keys would keep those; this test mixes in reads.
 */
class BenchAgainstNodeTest {

  @Test
  void writesCarryTheContextSoSiblingsDoNotPileUp(@TempDir Path dir) {
    RingkvNode node = TestNodes.startSingle("b1", dir, Map.of());
    try {
      BenchConfig cfg = new BenchConfig(BenchConfig.Target.ringkv,
          List.of(Endpoint.parse("http://127.0.0.1:" + node.httpPort())), 1500, 4, 100, 5, 0.5, "1", "1", 0,
          false, 0, 7, BenchConfig.DEFAULT_KEY_PREFIX);
      BenchResult result = new LoadGenerator(cfg).run();
      assertEquals(0, result.errorCount(), "errors: " + result.errors());
      assertTrue(result.ops() > 200, "enough writes per key to pile up siblings if contexts were not carried: "
          + result.ops());
      HttpProbe http = new HttpProbe(node.httpPort());
      for (int k = 0; k < 5; k++) {
        HttpProbe.Reply r = http.get("/kv/" + Protocol.key(k), "Accept", "application/json");
        assertEquals(200, r.status() == 300 ? 200 : r.status());
        int siblings = r.json().getJsonArray("siblings").size();
        // What can stay: per connection, its last write and one earlier write it raced. Without
        // carried contexts this was 35-76 after a few hundred writes.
        assertTrue(siblings <= 2 * 4, Protocol.key(k) + " has " + siblings + " siblings after " + result.ops() + " writes");
      }
    } finally {
      TestNodes.stop(node);
    }
  }

  /**
   * A second bench process starts without contexts. Its first write of each key asks for the
   * siblings already there (returnbody), so its next write replaces the first run's values: one
   * connection (no races), write-only, and every key ends with one version.
   */
  @Test
  void aNewRunReplacesWhatAnEarlierRunLeft(@TempDir Path dir) {
    RingkvNode node = TestNodes.startSingle("b2", dir, Map.of());
    try {
      for (int run = 0; run < 2; run++) {
        BenchConfig cfg = new BenchConfig(BenchConfig.Target.ringkv,
            List.of(Endpoint.parse("http://127.0.0.1:" + node.httpPort())), 700, 1, 100, 5, 0.0, "1", "1", 0,
            false, 0, 11 + run, BenchConfig.DEFAULT_KEY_PREFIX);
        BenchResult result = new LoadGenerator(cfg).run();
        assertEquals(0, result.errorCount(), "errors: " + result.errors());
        assertTrue(result.ops() > 50, "several writes per key: " + result.ops());
      }
      HttpProbe http = new HttpProbe(node.httpPort());
      for (int k = 0; k < 5; k++) {
        HttpProbe.Reply r = http.get("/kv/" + Protocol.key(k), "Accept", "application/json");
        assertEquals(200, r.status(), Protocol.key(k) + " has siblings: " + r.text());
      }
    } finally {
      TestNodes.stop(node);
    }
  }
}
