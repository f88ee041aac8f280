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

/** `ringkv dev` exactly as the README runs it: three processes, one ring, all stopped on SIGTERM. */
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
      TestCluster.await(120, "all nodes see 3 members up", () -> {
        for (int i = 0; i < 3; i++) {
          JsonObject c = new HttpProbe(httpBase + i).get("/cluster").json();
          if (c.getJsonArray("nodes").stream().map(JsonObject.class::cast)
              .filter(n -> "up".equals(n.getString("status"))).count() != 3) {
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
}
