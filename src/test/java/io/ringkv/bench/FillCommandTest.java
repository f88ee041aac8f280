package io.ringkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.cli.CompactCommand;
import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `ringkv fill` leaves what blind PUTs would: a node started on the dir serves every key; `compact` keeps them. */
class FillCommandTest {

  private static JsonObject run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    assertEquals(0, code, "exit code; stderr: " + err);
    return new JsonObject(out.toString().trim());
  }

  @Test
  void aFilledDataDirServesEveryKeyBeforeAndAfterCompaction(@TempDir Path dir) {
    JsonObject filled = run(new FillCommand(), "--data-dir", dir.toString(), "--engine", "rocksdb",
        "--keys", "3000", "--value-bytes", "100", "--key-prefix", "f-");
    assertEquals("rocksdb", filled.getString("engine"));
    assertEquals(3000, filled.getInteger("keys"));
    assertTrue(filled.getJsonObject("stats").getLong("userBytesWritten") > 3000 * 100);

    JsonObject compacted = run(new CompactCommand(), "--data-dir", dir.toString());
    assertEquals("rocksdb", compacted.getString("engine"));
    assertTrue(compacted.getLong("diskBytesAfter") > 3000 * 100, compacted.encode());

    RingkvNode node = TestNodes.startSingle("f1", dir, Map.of("engine", "rocksdb"));
    try {
      HttpProbe http = new HttpProbe(node.httpPort());
      for (int i = 0; i < 3000; i += 97) {
        HttpProbe.Reply r = http.get("/kv/f-" + i);
        assertEquals(200, r.status(), "f-" + i);
        assertEquals(100, r.body().length);
      }
      assertEquals(404, http.get("/kv/f-3000").status());
      // A write with the context of a read replaces the filled version, as after a real PUT.
      HttpProbe.Reply read = http.get("/kv/f-1");
      assertEquals(204, http.put("/kv/f-1", "new".getBytes(), "X-Context", read.header("X-Context")).status());
      assertEquals("new", http.get("/kv/f-1").text());
    } finally {
      TestNodes.stop(node);
    }
  }
}
