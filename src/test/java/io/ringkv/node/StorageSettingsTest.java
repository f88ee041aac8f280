package io.ringkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.config.ConfigException;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node hands its storage settings to LevelDB and the row cache (not just to its configuration object). */
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
          small ? Map.of("write-buffer-bytes", "65536", "engine", "leveldb") : Map.of("engine", "leveldb"));
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

  /**
   * With the row cache, a read of a just-written key is a hit (answered without LevelDB) and reads
   * back exactly what was written, also after a restart empties the cache; with
   * {@code --row-cache-bytes 0} every read goes to LevelDB.
   */
  @Test
  void readsOfWrittenKeysComeFromTheRowCacheUnlessItIsOff(@TempDir Path dir) {
    for (boolean off : new boolean[] {false, true}) {
      Path data = dir.resolve(off ? "off" : "on");
      Map<String, String> flags = off ? Map.of("row-cache-bytes", "0") : Map.of();
      RingkvNode node = TestNodes.startSingle("r1", data, flags);
      try {
        HttpProbe http = new HttpProbe(node.httpPort());
        for (int i = 0; i < 50; i++) {
          assertEquals(204, http.put("/kv/row" + i, "value " + i).status());
        }
        double hitsBefore = metric(http, "ringkv_storage_row_cache_hits");
        for (int i = 0; i < 50; i++) {
          assertEquals("value " + i, http.get("/kv/row" + i).text());
        }
        double hits = metric(http, "ringkv_storage_row_cache_hits") - hitsBefore;
        assertEquals(off ? 0 : 50, hits, "row cache hits for 50 reads of written keys");
        assertEquals(off ? 0 : 1, Math.signum(metric(http, "ringkv_storage_row_cache_bytes")));
      } finally {
        TestNodes.stop(node);
      }
      node = TestNodes.startSingle("r1", data, flags);
      try {
        HttpProbe http = new HttpProbe(node.httpPort());
        for (int i = 0; i < 50; i++) {
          assertEquals("value " + i, http.get("/kv/row" + i).text(), "after a restart");
        }
      } finally {
        TestNodes.stop(node);
      }
    }
  }

  @Test
  void aRowCacheOfMoreThanHalfTheHeapIsRefused(@TempDir Path dir) {
    long tooBig = Runtime.getRuntime().maxMemory() / 2 + 1;
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestNodes.startSingle("big", dir, Map.of("row-cache-bytes", Long.toString(tooBig))));
    Throwable cause = rootCause(e);
    assertTrue(cause instanceof ConfigException, cause.toString());
    assertTrue(cause.getMessage().contains("row-cache-bytes (" + tooBig + ") is more than half of the Java heap"),
        cause.getMessage());
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static double metric(HttpProbe http, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(http.get("/metrics").text());
    assertTrue(m.find(), "metric " + name + " missing");
    return Double.parseDouble(m.group(2));
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
