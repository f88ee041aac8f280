package io.ringkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.NodeProcess;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ringkv dev` exactly as the README runs it: three processes, one ring, all stopped on SIGTERM;
 * and a fourth node added to it and taken out again with the README's commands.
 */
class DevCommandIT {

  @Test
  void startsThreeNodesThatAgreeAndStopsThemAll(@TempDir Path dir) throws Exception {
    int httpBase = TestNodes.freePort();
    int clusterBase = TestNodes.freePort();
    Process dev = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toString(), "dev", "--base-http-port", Integer.toString(httpBase),
        "--base-cluster-port", Integer.toString(clusterBase), "--data-dir", dir.toString())
        .redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          System.out.println("[dev] " + line);
        }
      } catch (Exception e) {
        output.add("closed: " + e);
      }
    });
    pump.setDaemon(true);
    pump.start();
    try {
      TestCluster.await(180, "the dev cluster reports ready",
          () -> output.stream().anyMatch(l -> l.startsWith("Demo page: http://127.0.0.1:" + httpBase + "/")));
      assertTrue(output.contains("ringkv dev cluster ready (3 nodes):"), String.join("\n", output));
      for (int i = 0; i < 3; i++) {
        int port = httpBase + i;
        assertTrue(output.stream().anyMatch(l -> l.contains("http://127.0.0.1:" + port + "/")), "URL of n" + (i + 1));
      }
      // n1 founds the cluster, n2 and n3 join it one after the other: wait until both joins ended.
      TestCluster.await(120, "all nodes see 3 ring members up, with no change running", () -> {
        for (int i = 0; i < 3; i++) {
          JsonObject c = new HttpProbe(httpBase + i).get("/cluster").json();
          if (c.getJsonArray("nodes").stream().map(JsonObject.class::cast)
              .filter(n -> "up".equals(n.getString("status")) && "member".equals(n.getString("membership")))
              .count() != 3 || c.getJsonObject("ring").getInteger("pending") != 0) {
            return false;
          }
        }
        return true;
      });
      JsonObject ring = new HttpProbe(httpBase).get("/cluster").json().getJsonObject("ring");
      for (int i = 1; i < 3; i++) {
        assertEquals(ring, new HttpProbe(httpBase + i).get("/cluster").json().getJsonObject("ring"));
      }
      HttpProbe.Reply put = new HttpProbe(httpBase).put("/kv/dev-check", "ok");
      assertEquals(204, put.status(), put.text());
      assertEquals("ok", new HttpProbe(httpBase + 2).get("/kv/dev-check").text());
      assertEquals(200, new HttpProbe(httpBase + 1).get("/").status(), "demo page served");
      addThenTakeOutANodeAsTheReadmeShows(httpBase, clusterBase, dir);

      List<ProcessHandle> children = dev.descendants().toList();
      assertTrue(children.size() >= 3, "three node processes: " + children);
      new ProcessBuilder("kill", "-TERM", Long.toString(dev.pid())).start().waitFor();
      assertTrue(dev.waitFor(30, TimeUnit.SECONDS), "dev exits after SIGTERM");
      for (ProcessHandle child : children) {
        child.onExit().get(15, TimeUnit.SECONDS);
        assertTrue(!child.isAlive(), "node process " + child.pid() + " stopped");
      }
      assertTrue(output.stream().noneMatch(l -> l.contains("has been blocked for")), "no blocked threads");
    } finally {
      dev.descendants().forEach(ProcessHandle::destroyForcibly);
      dev.destroyForcibly();
    }
  }

  /** README "Growing and shrinking a cluster": n4 started with the dev cluster's seeds joins; it then leaves. */
  private static void addThenTakeOutANodeAsTheReadmeShows(int httpBase, int clusterBase, Path dir) throws Exception {
    String seeds = "127.0.0.1:" + clusterBase + ",127.0.0.1:" + (clusterBase + 1) + ",127.0.0.1:" + (clusterBase + 2);
    try (NodeProcess n4 = new NodeProcess("n4", List.of("--http-port", Integer.toString(httpBase + 3),
        "--cluster-port", Integer.toString(clusterBase + 3), "--seeds", seeds, "--data-dir",
        dir.resolve("n4").toString()))) {
      n4.start().awaitReady(180);
      TestCluster.await(120, "n4 joined: a member on every node, nothing moving, one ring",
          () -> membershipEverywhere(httpBase, 4, "n4", "member"));
      assertEquals(64, new HttpProbe(httpBase).get("/cluster/ring").json().getJsonArray("owners").stream()
          .filter("n4"::equals).count(), "n4 owns a quarter of the 256 partitions");
      assertEquals("ok", new HttpProbe(httpBase + 3).get("/kv/dev-check").text());
      assertEquals(202, new HttpProbe(httpBase).send("POST", "/cluster/members/n4/leave", new byte[0]).status());
      TestCluster.await(120, "n4 left", () -> membershipEverywhere(httpBase, 4, "n4", "left"));
      assertEquals(0, n4.terminate(30), "n4 stops cleanly once it has left");
      n4.assertNoBlockedThreads();
    }
  }

  /** Whether each of the first {@code nodes} nodes reports {@code id} in that state, with no change running. */
  private static boolean membershipEverywhere(int httpBase, int nodes, String id, String membership) {
    Object version = null;
    for (int i = 0; i < nodes; i++) {
      JsonObject c = new HttpProbe(httpBase + i).get("/cluster").json();
      boolean seen = c.getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .anyMatch(n -> id.equals(n.getString("id")) && membership.equals(n.getString("membership")));
      Object v = c.getJsonObject("ring").getValue("version");
      if (!seen || c.getJsonObject("ring").getInteger("pending") != 0 || version != null && !version.equals(v)) {
        return false;
      }
      version = v;
    }
    return true;
  }
}
