package io.ringkv.k8s;

import static io.ringkv.k8s.Manifests.map;
import static io.ringkv.k8s.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.cli.NodeLauncher;
import io.ringkv.config.ConfigLoader;
import io.ringkv.config.RingkvConfig;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.NodeProcess;
import io.ringkv.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Jib built, proven to start: three pods of the k8s/ StatefulSet, each started from
 * the unpacked image with the image's entrypoint and the manifest's environment, user, volumes
 * and read-only root (see {@link ChrootPod}), on 127.0.0.1..3 with {@code --join dns}: the
 * headless service's name resolves to the three pod IPs through the image's own resolver. They
 * form one ring, pass their probes, serve reads and writes, and stop cleanly on SIGTERM.
 *
 * <p>Runs where `mvn verify` built the image (where umoci is installed: .ci/run installs it) and
 * as root (chroot, mounts); elsewhere it is skipped and says why.
 */
class ImageStartIT {
  private static final int PODS = 3;

  @TempDir
  Path dir;
  private final List<NodeProcess> pods = new ArrayList<>();

  @AfterEach
  void stopPods() {
    pods.forEach(NodeProcess::close);
  }

  @Test
  void threePodsFromTheImageFormOneRingAndServeReadsAndWrites() throws Exception {
    Path imageTar = Path.of(System.getProperty("ringkv.imageTar", "target/ringkv-image.tar"));
    // The same condition as the pom's image-test profile, which builds the image before this test.
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")) && Files.isRegularFile(imageTar),
        "no umoci, or no image at " + imageTar + ": `mvn verify` builds the image and starts it where umoci is"
            + " installed (docs/kubernetes.md, \"Testing the image\")");
    Assumptions.assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"),
        "starting pods from the image needs root (chroot, mount namespaces)");
    Manifests k8s = Manifests.load();
    assertNull(k8s.container().get("command"), "the manifest keeps the image's entrypoint");
    assertNull(k8s.container().get("args"), "the manifest keeps the image's entrypoint");
    UnpackedImage image = UnpackedImage.unpack(imageTar, dir.resolve("image"));
    assertImageRunsTheNodeLikeRingkvDev(image);

    RingkvConfig config = podConfig(k8s);
    startPods(k8s, image, config.dnsName());
    int httpPort = config.httpPort();
    for (int i = 0; i < PODS; i++) {
      HttpProbe pod = new HttpProbe(podIp(i), httpPort);
      for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
        assertEquals(200, pod.get(str(k8s.container(), probe, "httpGet", "path")).status(), probe + " of ringkv-" + i);
      }
      TestCluster.await(120, "ringkv-" + i + " sees " + PODS + " pods up", () -> upMembers(pod).size() == PODS);
      assertEquals(Map.of("ringkv-0", "127.0.0.1", "ringkv-1", "127.0.0.2", "ringkv-2", "127.0.0.3"),
          upMembers(pod), "each pod advertises its pod IP");
    }
    JsonObject ring = new HttpProbe(podIp(0), httpPort).get("/cluster").json().getJsonObject("ring");
    for (int i = 1; i < PODS; i++) {
      assertEquals(ring, new HttpProbe(podIp(i), httpPort).get("/cluster").json().getJsonObject("ring"));
    }
    assertEveryPodReadsWhatAnyPodWrote(httpPort);
    assertPodsRunAsTheManifestsUserWithDataOnTheirVolumes(k8s);
    String metricsPath = (String) map(Manifests.at(k8s.statefulSet(), "spec", "template", "metadata",
        "annotations")).get("prometheus.io/path");
    assertTrue(new HttpProbe(podIp(0), httpPort).get(metricsPath).text().contains("ringkv_requests_total"));

    int grace = (Integer) k8s.podSpec().get("terminationGracePeriodSeconds");
    for (NodeProcess pod : pods) {
      pod.assertNoBlockedThreads();
      assertEquals(0, pod.terminate(grace), "exit code after SIGTERM");
    }
  }

  /** What ringkv-0 will read: the ConfigMap's file and the manifest's environment. */
  private RingkvConfig podConfig(Manifests k8s) throws Exception {
    Map<String, String> env = new HashMap<>(k8s.environment("ringkv-0", podIp(0), "default"));
    env.remove("RINGKV_CONFIG");
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, k8s.configMapData("ringkv-config").get("ringkv.json"));
    return ConfigLoader.load(file, env, Map.of());
  }

  /** The pods, in order if the manifest says OrderedReady: each starts once the one before is ready. */
  private void startPods(Manifests k8s, UnpackedImage image, String dnsName) throws Exception {
    StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
    for (int i = 0; i < PODS; i++) {
      hosts.append(podIp(i)).append(' ').append(dnsName).append('\n');
    }
    boolean ordered = !"Parallel".equals(str(k8s.statefulSet(), "spec", "podManagementPolicy"));
    for (int i = 0; i < PODS; i++) {
      NodeProcess pod = ChrootPod.start(image, k8s, "ringkv-" + i, podIp(i), dir.resolve("pod-" + i),
          hosts.toString());
      pods.add(pod);
      if (ordered) {
        pod.awaitReady(180);
      }
    }
    for (NodeProcess pod : pods) {
      pod.awaitReady(180);
    }
  }

  private static void assertEveryPodReadsWhatAnyPodWrote(int httpPort) {
    for (int k = 0; k < 60; k++) {
      HttpProbe coordinator = new HttpProbe(podIp(k % PODS), httpPort);
      assertEquals(204, coordinator.put("/kv/image-" + k + "?w=all", "value-" + k).status(), "image-" + k);
    }
    for (int i = 0; i < PODS; i++) {
      HttpProbe pod = new HttpProbe(podIp(i), httpPort);
      for (int k = 0; k < 60; k++) {
        HttpProbe.Reply r = pod.get("/kv/image-" + k + "?r=all");
        assertEquals(200, r.status(), "image-" + k + " via ringkv-" + i);
        assertEquals("value-" + k, r.text());
      }
    }
  }

  private static String podIp(int ordinal) {
    return "127.0.0." + (ordinal + 1);
  }

  /** The flags `ringkv dev` gives its nodes, but the heap from the container's memory limit. */
  private static void assertImageRunsTheNodeLikeRingkvDev(UnpackedImage image) {
    List<String> args = image.args();
    assertEquals("java", args.get(0));
    assertEquals(List.of("-jar", "/opt/ringkv/ringkv.jar", "node"), args.subList(args.size() - 3, args.size()));
    List<String> expected = NodeLauncher.NODE_JVM_FLAGS.stream().filter(f -> !f.startsWith("-Xmx")).toList();
    assertTrue(args.containsAll(expected), args + " has " + expected);
    assertTrue(args.contains("-XX:MaxRAMPercentage=50"), args.toString());
    assertTrue(image.uid() != 0, "the image's user is not root");
    assertTrue(Files.isRegularFile(image.rootfs().resolve("opt/ringkv/ringkv.jar")));
  }

  private void assertPodsRunAsTheManifestsUserWithDataOnTheirVolumes(Manifests k8s) throws Exception {
    int runAsUser = (Integer) map(k8s.podSpec().get("securityContext")).get("runAsUser");
    for (int i = 0; i < PODS; i++) {
      String status = Files.readString(Path.of("/proc/" + pods.get(i).pid() + "/status"));
      assertTrue(status.contains("\nUid:\t" + runAsUser + "\t"), "ringkv-" + i + " runs as " + runAsUser);
      Path volume = dir.resolve("pod-" + i).resolve("volumes").resolve("data");
      String engine = Files.readString(volume.resolve("ENGINE")).trim();
      assertTrue(Files.isDirectory(volume.resolve(engine)), "ringkv-" + i + " keeps its " + engine + " data on its volume");
    }
  }

  /** Ring members that are up, by id, once no membership change runs (the pods' joins have finished). */
  private static Map<String, String> upMembers(HttpProbe pod) {
    JsonObject cluster = pod.get("/cluster").json();
    if (cluster.getJsonObject("ring") == null || cluster.getJsonObject("ring").getInteger("pending") != 0) {
      return Map.of();
    }
    return cluster.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(m -> "up".equals(m.getString("status")) && "member".equals(m.getString("membership")))
        .collect(Collectors.toMap(m -> m.getString("id"), m -> m.getString("host")));
  }
}
