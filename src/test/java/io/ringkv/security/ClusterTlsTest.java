package io.ringkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.cli.DevCertificates;
import io.ringkv.node.RingkvNode;
import io.ringkv.testing.TestCluster;
import io.ringkv.testing.TestNodes;
import io.ringkv.testing.TlsProbe;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clustered nodes with {@code --cluster-tls}: two nodes whose certificates come from the
 * cluster's CA replicate over the encrypted event bus; a node with a certificate from another CA
 * and a node without TLS join Hazelcast (its discovery stays plain, docs/security.md) but can
 * neither send to the members nor learn the ring, so they never become members or serve.
 */
class ClusterTlsTest {
  private static final String ECHO = "test.cluster-tls.echo";

  @TempDir
  Path dir;

  @Test
  void onlyNodesWithACertificateFromTheClusterCaTakePart() throws Exception {
    DevCertificates.Issued cluster = DevCertificates.create(dir.resolve("cluster-ca"), "ringkv-cluster-ca");
    DevCertificates.Issued foreign = DevCertificates.create(dir.resolve("foreign-ca"), "someone-else-ca");
    List<Integer> hz = List.of(TestNodes.freePort(), TestNodes.freePort());
    String seeds = "127.0.0.1:" + hz.get(0) + ",127.0.0.1:" + hz.get(1);
    List<RingkvNode> nodes = new ArrayList<>();
    try {
      var f1 = RingkvNode.start(TestNodes.config(flags("n1", hz.get(0), seeds, cluster, true)));
      var f2 = RingkvNode.start(TestNodes.config(flags("n2", hz.get(1), seeds, cluster, true)));
      nodes.add(f1.await(120, TimeUnit.SECONDS));
      nodes.add(f2.await(120, TimeUnit.SECONDS));
      TlsProbe n1 = new TlsProbe(cluster.ca(), nodes.get(0).httpPort());
      TlsProbe n2 = new TlsProbe(cluster.ca(), nodes.get(1).httpPort());
      TestCluster.await(120, "both nodes are ring members, up, everywhere",
          () -> members(n1).equals(List.of("n1", "n2")) && members(n2).equals(List.of("n1", "n2")));
      assertEquals(204, n1.send("PUT", "/kv/over-tls?w=2", null, "secret".getBytes()).status());
      assertEquals("secret", n2.get("/kv/over-tls?r=2", null).text(), "replicated over the TLS event bus");

      AtomicInteger echoed = new AtomicInteger();
      nodes.get(0).vertx().eventBus().<String>consumer(ECHO, m -> {
        echoed.incrementAndGet();
        m.reply("pong");
      }).completion().await(10, TimeUnit.SECONDS);
      DeliveryOptions quick = new DeliveryOptions().setSendTimeout(5_000);
      TestCluster.await(30, "a member reaches another over TLS", () -> {
        try {
          return "pong".equals(nodes.get(1).vertx().eventBus().request(ECHO, "ping", quick)
              .await(10, TimeUnit.SECONDS).body());
        } catch (Exception e) {
          return false;
        }
      });
      int fromMembers = echoed.get();

      var rogueForeign = RingkvNode.start(TestNodes.config(flags("n3", TestNodes.freePort(), seeds, foreign, true)));
      var roguePlain = RingkvNode.start(TestNodes.config(flags("n4", TestNodes.freePort(), seeds, null, false)));
      nodes.add(rogueForeign.await(120, TimeUnit.SECONDS));
      nodes.add(roguePlain.await(120, TimeUnit.SECONDS));
      for (RingkvNode rogue : nodes.subList(2, 4)) {
        TestCluster.await(30, rogue.id() + " sees the members' echo consumer through Hazelcast",
            () -> ((io.vertx.core.internal.VertxInternal) rogue.vertx()).clusterManager().getNodes().size() >= 3);
        Exception refused = assertThrows(Exception.class,
            () -> rogue.vertx().eventBus().request(ECHO, "ping", quick).await(20, TimeUnit.SECONDS),
            rogue.id() + " must not reach a member");
        assertFalse(refused.getMessage() == null, String.valueOf(refused));
      }
      assertEquals(fromMembers, echoed.get(), "no message from a rogue node arrived");
      for (RingkvNode rogue : nodes.subList(2, 4)) {
        assertFalse(rogue.cluster().hasRing(), rogue.id() + " never learned the ring");
      }
      assertEquals(List.of("n1", "n2"), members(n1), "the rogues never joined the ring");
      assertEquals(List.of("n1", "n2"), members(n2));
      assertEquals("secret", n1.get("/kv/over-tls?r=2", null).text());
      assertEquals(204, n2.send("PUT", "/kv/after-rogues?w=2", null, "still".getBytes()).status());
      assertEquals("still", n1.get("/kv/after-rogues?r=2", null).text());
    } finally {
      nodes.forEach(TestNodes::stop);
    }
  }

  /** The ids the node lists as up ring members, sorted. */
  private static List<String> members(TlsProbe probe) {
    JsonObject view = probe.get("/cluster", null).json();
    return view.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> "up".equals(n.getString("status")) && "member".equals(n.getString("membership")))
        .map(n -> n.getString("id")).sorted().toList();
  }

  private Map<String, String> flags(String id, int clusterPort, String seeds, DevCertificates.Issued certs,
      boolean clusterTls) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("id", id);
    flags.put("join", "tcp");
    flags.put("cluster-port", Integer.toString(clusterPort));
    flags.put("seeds", seeds);
    flags.put("http-port", Integer.toString(TestNodes.freePort()));
    flags.put("data-dir", dir.resolve(id).toString());
    flags.put("n", "2");
    flags.put("r", "1");
    flags.put("w", "1");
    flags.put("suspect-after-ms", "1500");
    flags.put("down-after-ms", "3000");
    if (certs != null) {
      flags.put("tls-cert", certs.cert().toString());
      flags.put("tls-key", certs.key().toString());
      flags.put("tls-ca", certs.ca().toString());
    }
    flags.put("cluster-tls", Boolean.toString(clusterTls));
    return flags;
  }
}
