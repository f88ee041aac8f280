package io.ringkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringkv chaos} exactly as users run it (the jar, as a process): two minutes of kill -9,
 * SIGSTOP and partitions on five nodes end with exit 0 and a clean JSON summary; a run that really
 * loses acknowledged writes (W=1 through a node that is cut off, then wiped) ends with exit 1 and
 * names the lost writes.
 */
class ChaosCommandIT {
  @TempDir
  Path dir;

  private record Run(int exit, JsonObject summary, String stderr) {}

  private Run chaos(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toString(), "chaos", "--json", "--data-dir", dir.resolve("run").toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertTrue(p.waitFor(20, TimeUnit.MINUTES), "chaos finished within 20 minutes");
    } finally {
      p.destroyForcibly();
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    System.out.println(stderr);
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), "one JSON line on stdout; stderr:\n" + stderr);
    System.out.println("MEASURE chaos " + String.join(" ", args) + " -> exit " + p.exitValue() + ": " + lines.get(0));
    return new Run(p.exitValue(), new JsonObject(lines.get(0)), stderr);
  }

  @Test
  void twoMinutesOfKillsPausesAndPartitionsOnFiveNodesLoseNothing() throws Exception {
    Run run = chaos("--nodes", "5", "--duration", "2m", "--faults", "kill,pause,partition", "--seed", "7");
    JsonObject s = run.summary();
    assertEquals(0, run.exit(), s.encodePrettily());
    assertEquals(true, s.getBoolean("passed"));
    for (String field : List.of("lost", "phantom", "resurrected", "divergent", "unreadable")) {
      assertEquals(0L, s.getLong(field), field);
    }
    assertTrue(s.getLong("operations") > 5_000, "operations: " + s.getLong("operations"));
    assertTrue(s.getLong("acknowledged") > 2_000, "acknowledged: " + s.getLong("acknowledged"));
    assertTrue(s.getLong("failed") >= 0 && s.getLong("failed") < s.getLong("operations"));
    JsonObject faults = s.getJsonObject("faults");
    for (String kind : List.of("kill", "pause", "partition")) {
      assertTrue(faults.getInteger(kind, 0) >= 1, "at least one " + kind + ": " + faults);
    }
    assertEquals(faults.getMap().values().stream().mapToInt(v -> ((Number) v).intValue()).sum(),
        s.getInteger("faultsInjected"));
    assertEquals(true, s.getJsonObject("hints").getBoolean("drained"));
    assertTrue(run.stderr().contains("kill -9 "), "the fault timeline is on stderr");
    assertRootsEqual(s);
  }

  @Test
  void withoutHintsAntiEntropyAloneConvergesTheReplicasAndNothingIsLost() throws Exception {
    Run run = chaos("--nodes", "3", "--duration", "60s", "--faults", "kill,pause,partition", "--hinted-handoff",
        "false", "--seed", "11");
    JsonObject s = run.summary();
    assertEquals(0, run.exit(), s.encodePrettily());
    for (String field : List.of("lost", "phantom", "resurrected", "divergent", "unreadable")) {
      assertEquals(0L, s.getLong(field), field);
    }
    assertTrue(s.getLong("acknowledged") > 1_000, "acknowledged: " + s.getLong("acknowledged"));
    assertEquals(0L, s.getJsonObject("hints").getLong("pendingAtHeal"), "no hints were kept");
    assertRootsEqual(s);
  }

  /** One anti-entropy pass after healing left every partition's homes with the same Merkle root. */
  private static void assertRootsEqual(JsonObject s) {
    assertEquals(true, s.getBoolean("antiEntropyRun"));
    JsonObject roots = s.getJsonObject("roots");
    assertTrue(roots.getInteger("partitions") > 0, roots.encode());
    assertEquals(0, roots.getInteger("divergent"), roots.encode());
  }

  @Test
  void writesThatOnlyAWipedNodeHeldAreReportedLost() throws Exception {
    Run run = chaos("--nodes", "3", "--duration", "25s", "--faults", "wipe", "--w", "1", "--hinted-handoff", "false",
        "--seed", "3");
    JsonObject s = run.summary();
    assertEquals(1, run.exit(), s.encodePrettily());
    assertEquals(false, s.getBoolean("passed"));
    assertTrue(s.getLong("lost") > 0, "lost: " + s.getLong("lost"));
    assertEquals(0L, s.getLong("phantom"));
    JsonObject first = s.getJsonArray("violations").getJsonObject(0);
    assertEquals("lost", first.getString("type"));
    assertTrue(first.getString("detail").startsWith("acknowledged PUT"), first.encode());
    assertEquals(1, s.getJsonObject("faults").getInteger("wipe"));
  }
}
