package io.ringkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node hands its storage settings to LevelDB (not just to its configuration object). */
class StorageSettingsTest {

  /**
   * 400 KB of writes fill a 64 KiB memtable several times, so LevelDB writes tables; with the
   * default 16 MiB memtable the same writes stay in the log and no table appears.
   */
  @Test
  void aSmallMemtableIsWrittenOutAsTables(@TempDir Path dir) {
    for (boolean small : new boolean[] {false, true}) {
      Path data = dir.resolve(small ? "small" : "default");
      RingkvNode node = TestNodes.startSingle(small ? "s1" : "d1", data,
          small ? Map.of("write-buffer-bytes", "65536") : Map.of());
      try {
        HttpProbe http = new HttpProbe(node.httpPort());
        String value = "v".repeat(1000);
        for (int i = 0; i < 400; i++) {
          assertEquals(204, http.put("/kv/k" + i, value).status());
        }
        Path leveldb = data.resolve("leveldb");
        if (small) {
          TestCluster.await(20, "LevelDB writes a table", () -> tables(leveldb) > 0);
        } else {
          assertEquals(0, tables(leveldb), "the default memtable holds 400 KB without a table");
        }
        assertEquals(value, http.get("/kv/k399").text());
      } finally {
        TestNodes.stop(node);
      }
    }
  }

  private static long tables(Path leveldb) {
    try (Stream<Path> files = Files.list(leveldb)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".ldb")
          || f.getFileName().toString().endsWith(".sst")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
