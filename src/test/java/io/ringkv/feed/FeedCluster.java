package io.ringkv.feed;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Three clustered nodes (Hazelcast on loopback) in this JVM, N=3 R=2 W=2; shared by the feed's tests and bench. */
final class FeedCluster implements AutoCloseable {
  final List<RingkvNode> nodes = new ArrayList<>();

  FeedCluster(Path dataDir, int size) {
    int[] clusterPorts = new int[size];
    StringBuilder seeds = new StringBuilder();
    for (int i = 0; i < size; i++) {
      clusterPorts[i] = TestNodes.freePort();
      seeds.append(i == 0 ? "" : ",").append("127.0.0.1:").append(clusterPorts[i]);
    }
    try {
      for (int i = 0; i < size; i++) {
        nodes.add(TestNodes.start(TestNodes.config(Map.of("id", "n" + (i + 1), "join", "tcp", "host", "127.0.0.1",
            "cluster-port", Integer.toString(clusterPorts[i]), "seeds", seeds.toString(),
            "http-port", Integer.toString(TestNodes.freePort()), "data-dir", dataDir.resolve("n" + (i + 1)).toString(),
            "n", "3", "r", "2", "w", "2"))));
      }
      awaitAllUp(size);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  RingkvNode node(int oneBased) {
    return nodes.get(oneBased - 1);
  }

  private void awaitAllUp(int size) {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      if (nodes.stream().allMatch(n -> allUp(n, size))) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("cluster did not see " + size + " nodes up within 90 s");
  }

  private static boolean allUp(RingkvNode n, int size) {
    HttpProbe.Reply r = new HttpProbe(n.httpPort()).get("/cluster");
    if (r.status() != 200) {
      return false;
    }
    JsonArray members = r.json().getJsonArray("nodes");
    return members.size() == size && members.stream().allMatch(m -> "up".equals(((JsonObject) m).getString("status")));
  }

  @Override
  public void close() {
    for (RingkvNode n : nodes) {
      try {
        TestNodes.stop(n);
      } catch (RuntimeException ignored) {
        // best effort: stop the others
      }
    }
  }
}
