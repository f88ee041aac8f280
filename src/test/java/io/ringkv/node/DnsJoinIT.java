package io.ringkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.NodeProcess;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --join dns} and {@code --advertise-host} with real node processes on 127.0.0.1..3 (Linux
 * routes all of 127.0.0.0/8 to loopback), each bound to its own address with the same HTTP and
 * cluster ports, as pods are. The DNS name really resolves to several addresses: each node's JVM
 * reads a hosts file of this test's own ({@code -Djdk.net.hosts.file}, the JDK's resolver for
 * hosts files), so the machine's /etc/hosts is never touched. ImageStartIT covers the system
 * resolver (glibc reading the image's /etc/hosts).
 */
class DnsJoinIT {
  private static final String NAME = "ringkv-peers.test";

  @TempDir
  Path dir;
  private final List<NodeProcess> processes = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    processes.forEach(NodeProcess::close);
  }

  @Test
  void threeNodesFindEachOtherThroughOneNameAndServeReadsAndWrites() throws Exception {
    Path hosts = hostsFile("all", "127.0.0.1", "127.0.0.2", "127.0.0.3");
    int httpPort = TestNodes.freePort();
    int clusterPort = TestNodes.freePort();
    // One after another, as a StatefulSet starts its pods: each finds those before it by the name.
    for (int i = 1; i <= 3; i++) {
      start("n" + i, hosts, List.of("--host", "127.0.0." + i, "--http-port", "" + httpPort,
          "--cluster-port", "" + clusterPort, "--join", "dns", "--dns-name", NAME, "--n", "3"))
          .awaitReady(120);
    }
    for (int i = 1; i <= 3; i++) {
      awaitUp(new HttpProbe("127.0.0." + i, httpPort), 3);
    }
    Map<String, String> hostById = hostsById(new HttpProbe("127.0.0.3", httpPort));
    assertEquals(Map.of("n1", "127.0.0.1", "n2", "127.0.0.2", "n3", "127.0.0.3"), hostById);

    for (int k = 0; k < 50; k++) {
      HttpProbe coordinator = new HttpProbe("127.0.0." + (k % 3 + 1), httpPort);
      assertEquals(204, coordinator.put("/kv/dns-" + k + "?w=all", "value-" + k).status(), "dns-" + k);
    }
    for (int i = 1; i <= 3; i++) {
      HttpProbe node = new HttpProbe("127.0.0." + i, httpPort);
      for (int k = 0; k < 50; k++) {
        HttpProbe.Reply r = node.get("/kv/dns-" + k + "?r=all");
        assertEquals(200, r.status(), "dns-" + k + " via n" + i);
        assertEquals("value-" + k, r.text());
      }
    }
    processes.forEach(NodeProcess::assertNoBlockedThreads);
  }

  /**
   * Two nodes each start alone, the name listing only themselves; once it lists both, the next
   * merge attempt looks the name up again and they become one cluster (a StatefulSet whose pods
   * started before the headless service listed each other).
   */
  @Test
  void nodesThatStartedAloneMeetOnceTheNameListsThemBoth() throws Exception {
    int httpPort = TestNodes.freePort();
    int clusterPort = TestNodes.freePort();
    Path[] files = {hostsFile("one", "127.0.0.1"), hostsFile("two", "127.0.0.2")};
    for (int i = 1; i <= 2; i++) {
      start("n" + i, files[i - 1], List.of("--host", "127.0.0." + i, "--http-port", "" + httpPort,
          "--cluster-port", "" + clusterPort, "--join", "dns", "--dns-name", NAME, "--n", "2", "--r", "1",
          "--w", "1"));
    }
    for (NodeProcess p : processes) {
      p.awaitReady(120);
    }
    HttpProbe n1 = new HttpProbe("127.0.0.1", httpPort);
    HttpProbe n2 = new HttpProbe("127.0.0.2", httpPort);
    assertEquals(Map.of("n1", "127.0.0.1"), hostsById(n1));
    for (Path file : files) {
      writeHosts(file, "127.0.0.1", "127.0.0.2");
    }
    awaitUp(n1, 2);
    awaitUp(n2, 2);
    assertEquals(204, n1.put("/kv/met?w=all", "both").status());
    assertEquals("both", n2.get("/kv/met?r=all").text());
  }

  /**
   * {@code --host 0.0.0.0 --advertise-host 127.0.0.2}: the node answers on every local address,
   * and tells the others 127.0.0.2 (gossip, Hazelcast, event bus); a node bound to 127.0.0.3
   * answers there only.
   */
  @Test
  void aWildcardBindAdvertisesTheGivenAddress() throws Exception {
    int[] http = {TestNodes.freePort(), TestNodes.freePort()};
    int[] cluster = {TestNodes.freePort(), TestNodes.freePort()};
    String seeds = "127.0.0.2:" + cluster[0] + ",127.0.0.3:" + cluster[1];
    List<String> common = List.of("--seeds", seeds, "--n", "2", "--r", "2", "--w", "2");
    start("n1", null, concat(List.of("--host", "0.0.0.0", "--advertise-host", "127.0.0.2",
        "--http-port", "" + http[0], "--cluster-port", "" + cluster[0]), common));
    start("n2", null, concat(List.of("--host", "127.0.0.3", "--http-port", "" + http[1],
        "--cluster-port", "" + cluster[1]), common));
    for (NodeProcess p : processes) {
      p.awaitReady(120);
    }
    HttpProbe n2 = new HttpProbe("127.0.0.3", http[1]);
    awaitUp(n2, 2);
    assertEquals(Map.of("n1", "127.0.0.2", "n2", "127.0.0.3"), hostsById(n2));
    assertEquals(Map.of("n1", "127.0.0.2", "n2", "127.0.0.3"), hostsById(new HttpProbe("127.0.0.1", http[0])));
    assertEquals(204, n2.put("/kv/advertised?w=2", "through both").status());
    assertEquals("through both", new HttpProbe("127.0.0.2", http[0]).get("/kv/advertised?r=2").text());
    assertThrows(UncheckedIOException.class, () -> new HttpProbe("127.0.0.1", http[1]).get("/health"),
        "n2 is bound to 127.0.0.3 only");
  }

  private NodeProcess start(String id, Path hostsFile, List<String> flags) throws Exception {
    List<String> jvm = hostsFile == null ? List.of()
        : List.of("-Djdk.net.hosts.file=" + hostsFile, "-Dsun.net.inetaddr.ttl=1");
    NodeProcess node = new NodeProcess(id, jvm, concat(flags, List.of("--data-dir", dir.resolve(id).toString(),
        "--gossip-interval-ms", "250", "--suspect-after-ms", "2000", "--down-after-ms", "4000"))).start();
    processes.add(node);
    return node;
  }

  private Path hostsFile(String name, String... addresses) throws Exception {
    Path file = dir.resolve("hosts-" + name);
    writeHosts(file, addresses);
    return file;
  }

  /** A hosts file as a pod's resolver sees its headless service: one line per address. */
  private static void writeHosts(Path file, String... addresses) throws Exception {
    StringBuilder text = new StringBuilder("127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName() + "\n");
    for (String address : addresses) {
      text.append(address).append(' ').append(NAME).append('\n');
    }
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, text);
    Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Waits until the node sees {@code expected} ring members up and no membership change running. */
  private static void awaitUp(HttpProbe node, int expected) {
    TestCluster.await(120, node.host() + " sees " + expected + " members up", () -> {
      JsonObject cluster = node.get("/cluster").json();
      return cluster.getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .filter(m -> "up".equals(m.getString("status")) && "member".equals(m.getString("membership"))).count()
          == expected && cluster.getJsonObject("ring").getInteger("pending") == 0;
    });
  }

  private static Map<String, String> hostsById(HttpProbe node) {
    return node.get("/cluster").json().getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(m -> m.getString("id"), m -> m.getString("host")));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
