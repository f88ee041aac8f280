package io.ringkv.k8s;

import static io.ringkv.k8s.Manifests.at;
import static io.ringkv.k8s.Manifests.list;
import static io.ringkv.k8s.Manifests.map;
import static io.ringkv.k8s.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.config.ConfigLoader;
import io.ringkv.config.RingkvConfig;
import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k8s/ manifests against what the code and the build expect: ports, probe paths, flags and
 * environment names, the DNS name nodes look up, the data and config paths, the image. The pods
 * themselves are started from the built image by ImageStartIT.
 */
class ManifestTest {
  private static final String HEADLESS = "ringkv-headless";
  private final Manifests k8s = Manifests.load();

  @Test
  void theKustomizationListsEveryManifestAndTheyHoldTheWholeDeployment() {
    assertEquals(Manifests.yamlFiles(), k8s.resources().stream().sorted().toList());
    for (String object : List.of("ConfigMap/ringkv-config", "Service/ringkv-headless", "Service/ringkv",
        "StatefulSet/ringkv", "PodDisruptionBudget/ringkv")) {
      String[] kindAndName = object.split("/");
      assertNotNull(k8s.get(kindAndName[0], kindAndName[1]));
    }
  }

  @Test
  void everySelectorFindsThePods() {
    Map<String, Object> podLabels = map(at(k8s.statefulSet(), "spec", "template", "metadata", "labels"));
    List<Object> selectors = new ArrayList<>();
    selectors.add(at(k8s.statefulSet(), "spec", "selector", "matchLabels"));
    selectors.add(at(k8s.get("Service", HEADLESS), "spec", "selector"));
    selectors.add(at(k8s.get("Service", "ringkv"), "spec", "selector"));
    selectors.add(at(k8s.get("PodDisruptionBudget", "ringkv"), "spec", "selector", "matchLabels"));
    Map<String, Object> antiAffinity = map(list(k8s.podSpec(), "affinity", "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution").get(0));
    selectors.add(at(antiAffinity, "labelSelector", "matchLabels"));
    for (Object selector : selectors) {
      assertTrue(podLabels.entrySet().containsAll(map(selector).entrySet()), selector + " selects " + podLabels);
    }
    assertEquals("kubernetes.io/hostname", antiAffinity.get("topologyKey"), "one pod per machine");
  }

  @Test
  void nodesLookUpTheHeadlessServiceWhichListsPodsBeforeTheyAreReady() throws Exception {
    Map<String, Object> headless = k8s.get("Service", HEADLESS);
    assertEquals("None", str(headless, "spec", "clusterIP"));
    assertEquals(true, at(headless, "spec", "publishNotReadyAddresses"));
    assertEquals(HEADLESS, str(k8s.statefulSet(), "spec", "serviceName"));
    RingkvConfig config = podConfig("ringkv-1", "10.244.1.7");
    assertEquals("dns", config.join());
    // The short name resolves through the pod's DNS search domains (<namespace>.svc.cluster.local).
    assertTrue(config.dnsName().equals(HEADLESS) || config.dnsName().startsWith(HEADLESS + "."), config.dnsName());
    assertEquals(List.of("cluster"), servicePorts(headless).stream()
        .filter(p -> (Integer) p.get("port") == config.clusterPort()).map(p -> p.get("targetPort")).toList());
    for (String service : List.of(HEADLESS, "ringkv")) {
      assertEquals(List.of("http"), servicePorts(k8s.get("Service", service)).stream()
          .filter(p -> (Integer) p.get("port") == config.httpPort()).map(p -> p.get("targetPort")).toList(), service);
    }
  }

  private static List<Map<String, Object>> servicePorts(Map<String, Object> service) {
    return list(service, "spec", "ports").stream().map(Manifests::map).toList();
  }

  @Test
  void eachPodGetsItsOwnIdAddressAndDataFromTheSharedConfig() throws Exception {
    RingkvConfig config = podConfig("ringkv-2", "10.244.2.9");
    assertEquals("ringkv-2", config.id());
    assertTrue(RingkvConfig.isWildcard(config.host()), "binds every interface of the pod: " + config.host());
    assertEquals("10.244.2.9", config.advertisedHost());
    assertEquals(k8s.containerPort("http"), config.httpPort());
    assertEquals(k8s.containerPort("cluster"), config.clusterPort());
    assertEquals(Path.of(k8s.mountPath("data")), config.dataDir());
    assertEquals("data", str(k8s.statefulSet(), "spec", "volumeClaimTemplates", "0", "metadata", "name"));
    Map<String, String> env = k8s.environment("ringkv-2", "10.244.2.9", "default");
    for (String name : env.keySet()) {
      assertTrue(name.equals("RINGKV_CONFIG") || ConfigLoader.flagNames().stream()
          .anyMatch(flag -> ConfigLoader.envName(flag).equals(name)), name + " is no setting of ringkv node");
    }
    assertEquals(k8s.mountPath("config") + "/ringkv.json", env.get("RINGKV_CONFIG"));
    assertEquals("ringkv-config", str(k8s.volume("config"), "configMap", "name"));
    for (String field : leafPaths(new JsonObject(k8s.configMapData("ringkv-config").get("ringkv.json")), "")) {
      assertTrue(ConfigLoader.jsonPaths().contains(field), "ringkv.json field " + field + " is no setting");
    }
  }

  @Test
  void probesAndTheScrapeAnnotationsAnswerOnARealNode(@TempDir Path dir) throws Exception {
    Map<String, Object> c = k8s.container();
    assertEquals("/ready", str(c, "readinessProbe", "httpGet", "path"));
    assertEquals("/health", str(c, "livenessProbe", "httpGet", "path"));
    Map<String, Object> annotations = map(at(k8s.statefulSet(), "spec", "template", "metadata", "annotations"));
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals(String.valueOf(k8s.containerPort("http")), annotations.get("prometheus.io/port"));

    RingkvConfig pod = podConfig("ringkv-0", "127.0.0.1");
    Path file = dir.resolve("ringkv.json");
    Files.writeString(file, k8s.configMapData("ringkv-config").get("ringkv.json"));
    // The pod's settings, alone and on a free port of this machine.
    RingkvNode node = TestNodes.start(ConfigLoader.load(file, Map.of(), Map.of("id", pod.id(), "join", "none",
        "host", "127.0.0.1", "http-port", "" + TestNodes.freePort(), "data-dir", dir.resolve("data").toString(),
        "n", "1", "r", "1", "w", "1")));
    try {
      HttpProbe http = new HttpProbe(node.httpPort());
      for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
        assertEquals("http", str(c, probe, "httpGet", "port"), probe);
        assertEquals(200, http.get(str(c, probe, "httpGet", "path")).status(), probe);
      }
      HttpProbe.Reply metrics = http.get(String.valueOf(annotations.get("prometheus.io/path")));
      assertEquals(200, metrics.status());
      assertTrue(metrics.text().contains("ringkv_"), "the store's own meters are scraped");
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyRootAndHaveTimeToStopCleanly() {
    Map<String, Object> security = map(k8s.podSpec().get("securityContext"));
    assertEquals(true, security.get("runAsNonRoot"));
    assertTrue((Integer) security.get("runAsUser") > 0);
    assertNotNull(security.get("fsGroup"), "the data volume is writable by the pod's group");
    assertEquals(true, at(k8s.container(), "securityContext", "readOnlyRootFilesystem"));
    assertEquals("/tmp", k8s.mountPath("tmp"), "the JVM and LevelDB's native library write to /tmp");
    assertTrue(k8s.volume("tmp").containsKey("emptyDir"));
    // A node flushes and exits within 10 s of SIGTERM (API.md, "Running").
    assertTrue((Integer) k8s.podSpec().get("terminationGracePeriodSeconds") >= 20);
    assertNotNull(str(k8s.container(), "resources", "limits", "memory"), "the heap is sized from the memory limit");
    assertEquals(1, at(k8s.get("PodDisruptionBudget", "ringkv"), "spec", "maxUnavailable"));
  }

  @Test
  void theImageIsTheOneTheBuildMakes() {
    String image = System.getProperty("ringkv.image");
    assertNotNull(image, "surefire passes the pom's ringkv.image");
    assertEquals(image, str(k8s.container(), "image"));
    Map<String, Object> pin = map(list(k8s.kustomization(), "images").get(0));
    assertEquals(image, pin.get("newName") + ":" + pin.get("newTag"));
    assertEquals(image.substring(0, image.indexOf(':')), pin.get("name"));
  }

  /** ConfigLoader reading the ConfigMap's file with the pod's environment, as the node does. */
  private RingkvConfig podConfig(String podName, String podIp) throws Exception {
    Path file = Files.createTempFile("ringkv", ".json");
    try {
      Files.writeString(file, k8s.configMapData("ringkv-config").get("ringkv.json"));
      Map<String, String> env = new java.util.HashMap<>(k8s.environment(podName, podIp, "default"));
      env.remove("RINGKV_CONFIG");
      return ConfigLoader.load(file, env, Map.of());
    } finally {
      Files.delete(file);
    }
  }

  private static List<String> leafPaths(JsonObject json, String prefix) {
    List<String> paths = new ArrayList<>();
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      paths.addAll(value instanceof JsonObject nested ? leafPaths(nested, prefix + key + ".")
          : List.of(prefix + key));
    }
    return paths;
  }
}
