package io.ringkv.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.testing.ClusterFaults;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five nodes in one JVM, N=3, R=2, W=2. Two nodes are cut off from everyone: once the detector
 * marks them down, every write and read succeeds through fallbacks (also for keys whose two dead
 * homes leave one live home), the fallbacks keep hints, and after healing the hints go home:
 * each of the two, cut off again, alone answers r=1 with every value written while it was away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloppyQuorumTest {
  private static final List<String> ALL = List.of("n1", "n2", "n3", "n4", "n5");
  TestCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) {
    cluster = TestCluster.start(5, dir, Map.of("fault-injection", "true", "suspect-after-ms", "1000",
        "down-after-ms", "2500", "row-cache-bytes", "8388608"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void isolate(String... nodes) {
    List<String> cut = List.of(nodes);
    for (int i = 1; i <= 5; i++) {
      String id = "n" + i;
      ClusterFaults.drop(cluster.http(i), cut.contains(id) ? ALL.stream().filter(n -> !n.equals(id)).toList() : cut);
    }
  }

  private void healAll() {
    for (int i = 1; i <= 5; i++) {
      ClusterFaults.heal(cluster.http(i));
    }
  }

  private List<String> homes(String key) {
    JsonArray replicas = cluster.http(1).get("/cluster/preference/" + key).json().getJsonArray("replicas");
    List<String> homes = new ArrayList<>();
    replicas.forEach(r -> homes.add((String) r));
    return homes;
  }

  @Test
  void writesDuringTwoDeadNodesSucceedAndGoHomeAfterwards() {
    isolate("n4", "n5");
    Map<String, String> written = new HashMap<>();
    int bothDeadAreHomes = 0;
    try {
      TestCluster.await(15, "n1..n3 see n4 and n5 down", () -> {
        for (int i = 1; i <= 3; i++) {
          if (!ClusterFaults.status(cluster.http(i), "n4").equals("down")
              || !ClusterFaults.status(cluster.http(i), "n5").equals("down")) {
            return false;
          }
        }
        return true;
      });
      for (int k = 0; k < 150; k++) {
        String key = "sloppy-" + k;
        HttpProbe via = cluster.http(1 + k % 3);
        Reply put = via.put("/kv/" + key, "v" + k);
        assertEquals(204, put.status(), key + ": " + put);
        written.put(key, "v" + k);
        if (homes(key).containsAll(List.of("n4", "n5"))) {
          bothDeadAreHomes++;
        }
      }
      assertTrue(bothDeadAreHomes > 0, "some keys have both dead nodes as home replicas");
      for (Map.Entry<String, String> e : written.entrySet()) {
        for (int i = 1; i <= 3; i++) {
          assertEquals(e.getValue(), cluster.http(i).get("/kv/" + e.getKey()).text(), e.getKey() + " via n" + i);
        }
      }
      long pending = 0;
      for (int i = 1; i <= 3; i++) {
        pending += ClusterFaults.pendingHints(cluster.http(i));
      }
      assertTrue(pending > 0, "fallbacks keep hints for n4 and n5");
      // sloppy=false: fallbacks do not count, so a key with only one live home cannot reach W=2.
      String onlyOneLiveHome = written.keySet().stream().filter(k -> homes(k).containsAll(List.of("n4", "n5")))
          .findFirst().orElseThrow();
      String context = cluster.http(1).get("/kv/" + onlyOneLiveHome).header("X-Context");
      Reply strict = cluster.http(1).put("/kv/" + onlyOneLiveHome + "?sloppy=false", "strict", "X-Context", context);
      assertEquals(503, strict.status(), strict.toString());
      assertEquals(1, strict.json().getInteger("acknowledged"));
      written.put(onlyOneLiveHome, "strict"); // refused at W, but stored where it could be: it supersedes
    } finally {
      healAll();
    }
    TestCluster.await(60, "every hint is delivered", () -> {
      for (int i = 1; i <= 5; i++) {
        if (ClusterFaults.pendingHints(cluster.http(i)) != 0) {
          return false;
        }
      }
      return true;
    });
    for (String returning : List.of("n4", "n5")) {
      isolate(returning);
      HttpProbe alone = cluster.http(Integer.parseInt(returning.substring(1)));
      try {
        TestCluster.await(15, returning + " sees everyone else down", () -> ALL.stream()
            .filter(n -> !n.equals(returning)).allMatch(n -> ClusterFaults.status(alone, n).equals("down")));
        int checked = 0;
        for (Map.Entry<String, String> e : written.entrySet()) {
          if (homes(e.getKey()).contains(returning)) {
            Reply r = alone.get("/kv/" + e.getKey() + "?r=1");
            assertEquals(e.getValue(), r.text(), e.getKey() + " on " + returning + " alone");
            checked++;
          }
        }
        assertTrue(checked > 30, returning + " is a home replica of " + checked + " keys");
      } finally {
        healAll();
      }
    }
  }
}
