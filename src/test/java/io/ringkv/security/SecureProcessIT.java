package io.ringkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.cli.DevCertificates;
import io.ringkv.testing.NodeProcess;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import io.ringkv.testing.TlsProbe;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure set-up through the command-line contract: a node process with tokens and TLS reloads
 * its token file on SIGHUP, {@code bench} drives it over https:// with a token, nothing the process
 * printed holds a token; and {@code ringkv dev --secure} starts a TLS cluster and prints its admin token.
 */
class SecureProcessIT {
  private static final String READER = "proc-reader-93be1d0c7a";
  private static final String WRITER = "proc-writer-5f6e7d8c9b";
  private static final String LATER = "proc-later-0c1d2e3f4a5b";

  @TempDir
  Path dir;

  @Test
  void aNodeProcessReloadsTokensOnSighupServesBenchOverHttpsAndNeverPrintsAToken() throws Exception {
    DevCertificates.Issued certs = DevCertificates.create(dir.resolve("tls"), "ringkv-it-ca");
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(tokens, SecureNodeTest.tokens(READER, "read", WRITER, "write"));
    int port = TestNodes.freePort();
    List<String> args = List.of("--http-port", Integer.toString(port), "--join", "none", "--data-dir",
        dir.resolve("n1").toString(), "--n", "1", "--r", "1", "--w", "1", "--auth-tokens", tokens.toString(),
        "--tls-cert", certs.cert().toString(), "--tls-key", certs.key().toString());
    List<String> printed;
    try (NodeProcess node = new NodeProcess("n1", args).start().awaitReady(90)) {
      TlsProbe https = new TlsProbe(certs.ca(), port);
      assertEquals(204, https.put("/kv/p", WRITER, "v").status());
      assertEquals("v", https.get("/kv/p", READER).text());
      SecureNodeTest.assertUnauthorized(https.get("/kv/p", LATER), "not yet in the file");

      Files.writeString(tokens, SecureNodeTest.tokens(LATER, "admin"));
      new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start().waitFor();
      TestCluster.await(30, "the reloaded token works", () -> https.get("/kv/p", LATER).status() == 200);
      SecureNodeTest.assertUnauthorized(https.get("/kv/p", READER), "removed by the reload");

      List<String> bench = run(List.of("bench", "--url", "https://127.0.0.1:" + port, "--token", LATER, "--insecure",
          "--duration", "3s", "--warmup", "0s", "--connections", "4", "--keys", "100", "--r", "1", "--w", "1",
          "--json"));
      JsonObject result = new JsonObject(bench.get(bench.size() - 1));
      assertTrue(result.getLong("ops") > 0, String.join("\n", bench));
      assertEquals(0, result.getJsonObject("errors", new JsonObject()).size(), String.join("\n", bench));
      assertTrue(node.terminate(20) == 0, "exits 0 on SIGTERM");
      printed = node.output();
    }
    assertTrue(printed.stream().anyMatch(l -> l.contains("auth tokens reloaded")), String.join("\n", printed));
    for (String line : printed) {
      for (String token : List.of(READER, WRITER, LATER)) {
        assertFalse(line.contains(token), "the node printed a token: " + line);
      }
    }
  }

  @Test
  void devSecureStartsATlsClusterWithTokensAndPrintsTheAdminToken() throws Exception {
    int httpBase = TestNodes.freePort();
    Process dev = new ProcessBuilder(java(), "-jar", NodeProcess.jar().toString(), "dev", "--secure", "--nodes", "2",
        "--base-http-port", Integer.toString(httpBase), "--base-cluster-port", Integer.toString(TestNodes.freePort()),
        "--data-dir", dir.resolve("dev").toString()).redirectErrorStream(true).start();
    List<String> output = pump(dev);
    try {
      TestCluster.await(180, "dev --secure reports ready",
          () -> output.stream().anyMatch(l -> l.startsWith("Demo page: https://127.0.0.1:" + httpBase + "/")));
      String token = value(output, "Admin token: ");
      Path ca = Path.of(value(output, "CA certificate: "));
      TlsProbe n1 = new TlsProbe(ca, httpBase);
      TlsProbe n2 = new TlsProbe(ca, httpBase + 1);
      TestCluster.await(60, "n1 answers over https", () -> n1.get("/health", null).status() == 200);
      SecureNodeTest.assertUnauthorized(n1.get("/cluster", null), "no token");
      TestCluster.await(120, "both nodes see 2 ring members up", () -> upMembers(n1, token) == 2
          && upMembers(n2, token) == 2 && n1.get("/cluster", token).json().getJsonObject("ring")
              .getInteger("pending") == 0);
      assertEquals(204, n1.send("PUT", "/kv/dev-secure?w=2", token, "ok".getBytes()).status());
      assertEquals("ok", n2.get("/kv/dev-secure?r=2", token).text(), "replicated over the TLS event bus");
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(dev.pid())).start().waitFor();
      if (!dev.waitFor(30, TimeUnit.SECONDS)) {
        dev.descendants().forEach(ProcessHandle::destroyForcibly);
        dev.destroyForcibly();
      }
    }
  }

  private static long upMembers(TlsProbe node, String token) {
    return node.get("/cluster", token).json().getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> "up".equals(n.getString("status")) && "member".equals(n.getString("membership"))).count();
  }

  private static String value(List<String> output, String prefix) {
    String line = output.stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line:\n" + String.join("\n", output)));
    return line.substring(prefix.length()).split("\\s+")[0];
  }

  private static List<String> run(List<String> command) throws Exception {
    List<String> full = new java.util.ArrayList<>(List.of(java(), "-jar", NodeProcess.jar().toString()));
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    // Read to the end on this thread: the command ends on its own (bench --duration), so this ends too.
    List<String> output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
    assertEquals(0, p.exitValue(), String.join("\n", output));
    return output;
  }

  private static List<String> pump(Process process) {
    List<String> output = new CopyOnWriteArrayList<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
          System.out.println("[proc] " + line);
        }
      } catch (Exception e) {
        output.add("closed: " + e);
      }
    });
    pump.setDaemon(true);
    pump.start();
    return output;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
