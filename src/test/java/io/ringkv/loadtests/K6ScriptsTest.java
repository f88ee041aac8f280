package io.ringkv.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k6 scripts in load-tests/ checked under Node with stubs of k6's modules
 * (load-tests/test/k6-scripts.test.mjs): they import, their options are valid, and they send what
 * load-tests/README.md says (name tags, writes with the context of the VU's previous answer, one
 * writer per key, a prefill no threshold counts). k6 itself is not installed here; skipped without
 * Node 20.6+ (module hooks).
 */
class K6ScriptsTest {
  static final Path SCRIPT = Path.of("load-tests", "test", "k6-scripts.test.mjs");

  @Test
  void theK6ScriptsPassTheirChecksUnderNode(@TempDir Path dir) throws Exception {
    assumeTrue(nodeSupportsModuleHooks(dir), "needs node 20.6 or newer on the PATH");
    Path output = dir.resolve("k6-scripts.tap");
    Process node = new ProcessBuilder("node", SCRIPT.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the checks finish within 2 minutes");
    String tap = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, node.exitValue(), tap);
    assertTrue(tap.contains("# fail 0"), tap);
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(tap);
    assertTrue(pass.find() && Integer.parseInt(pass.group(1)) >= 9, "every check ran: " + tap);
  }

  private static boolean nodeSupportsModuleHooks(Path dir) throws InterruptedException {
    try {
      Path version = dir.resolve("node-version");
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true)
          .redirectOutput(version.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return false;
      }
      Matcher m = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(Files.readString(version));
      if (!m.find()) {
        return false;
      }
      int major = Integer.parseInt(m.group(1));
      return major > 20 || major == 20 && Integer.parseInt(m.group(2)) >= 6;
    } catch (IOException e) {
      return false; // no node on the PATH
    }
  }
}
