package io.ringkv.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects in {@code k8s/}, read as plain YAML, and what a kubelet would make of the ringkv
 * pod: its environment (downward API and {@code $(VAR)} references resolved), its volumes.
 */
final class Manifests {
  static final Path DIR = Path.of("k8s");
  private static final Pattern VAR_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private final Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();
  private final Map<String, Object> kustomization;

  private Manifests(Map<String, Object> kustomization) {
    this.kustomization = kustomization;
  }

  static Manifests load() {
    Manifests manifests = new Manifests(map(readAll(DIR.resolve("kustomization.yaml")).get(0)));
    for (String file : manifests.resources()) {
      for (Object document : readAll(DIR.resolve(file))) {
        Map<String, Object> object = map(document);
        manifests.byKindAndName.put(object.get("kind") + "/" + str(object, "metadata", "name"), object);
      }
    }
    return manifests;
  }

  /** The YAML files in k8s/ other than the kustomization itself. */
  static List<String> yamlFiles() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .filter(n -> !n.startsWith("kustomization.")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> resources() {
    return list(kustomization, "resources").stream().map(String::valueOf).toList();
  }

  Map<String, Object> kustomization() {
    return kustomization;
  }

  Map<String, Object> get(String kind, String name) {
    Map<String, Object> object = byKindAndName.get(kind + "/" + name);
    if (object == null) {
      throw new AssertionError("k8s/ has no " + kind + " named " + name + "; it has " + byKindAndName.keySet());
    }
    return object;
  }

  List<Map<String, Object>> all(String kind) {
    return byKindAndName.values().stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  Map<String, Object> statefulSet() {
    return get("StatefulSet", "ringkv");
  }

  Map<String, Object> podSpec() {
    return map(at(statefulSet(), "spec", "template", "spec"));
  }

  Map<String, Object> container() {
    return map(list(podSpec(), "containers").get(0));
  }

  /** The container's port number by port name. */
  int containerPort(String name) {
    return list(container(), "ports").stream().map(Manifests::map).filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  /** The mount path of the named volume in the container. */
  String mountPath(String volume) {
    return list(container(), "volumeMounts").stream().map(Manifests::map).filter(m -> volume.equals(m.get("name")))
        .map(m -> (String) m.get("mountPath")).findFirst()
        .orElseThrow(() -> new AssertionError("no volume mount named " + volume));
  }

  /** The pod's volume definition (a configMap or an emptyDir), by name. */
  Map<String, Object> volume(String name) {
    return list(podSpec(), "volumes").stream().map(Manifests::map).filter(v -> name.equals(v.get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("no pod volume named " + name));
  }

  /**
   * The container's environment as the kubelet sets it for a pod with this name and IP: literal
   * values, downward-API fields, and {@code $(VAR)} references to variables defined before.
   */
  Map<String, String> environment(String podName, String podIp, String namespace) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object item : list(container(), "env")) {
      Map<String, Object> var = map(item);
      String name = (String) var.get("name");
      if (var.containsKey("value")) {
        env.put(name, expand(String.valueOf(var.get("value")), env));
        continue;
      }
      String field = str(var, "valueFrom", "fieldRef", "fieldPath");
      env.put(name, switch (field) {
        case "metadata.name" -> podName;
        case "status.podIP" -> podIp;
        case "metadata.namespace" -> namespace;
        default -> throw new AssertionError("env " + name + " uses a field this test does not know: " + field);
      });
    }
    return env;
  }

  private static String expand(String value, Map<String, String> defined) {
    Matcher m = VAR_REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = defined.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }

  /** The files of a ConfigMap, by key. */
  Map<String, String> configMapData(String name) {
    Map<String, String> data = new LinkedHashMap<>();
    map(at(get("ConfigMap", name), "data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
    return data;
  }

  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (current instanceof Map<?, ?> m) {
        current = m.get(key);
      } else if (current instanceof List<?> l) {
        current = l.get(Integer.parseInt(key));
      } else {
        return null;
      }
    }
    return current;
  }

  static String str(Object node, String... path) {
    Object value = at(node, path);
    return value == null ? null : String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new AssertionError("expected a mapping, got " + node);
    }
    return (Map<String, Object>) node;
  }

  static List<Object> list(Object node, String... path) {
    Object value = at(node, path);
    if (!(value instanceof List<?> l)) {
      throw new AssertionError("expected a list at " + String.join(".", path) + ", got " + value);
    }
    return new ArrayList<>(l);
  }

  private static List<Object> readAll(Path file) {
    try (Reader in = Files.newBufferedReader(file)) {
      List<Object> documents = new ArrayList<>();
      new Yaml().loadAll(in).forEach(d -> {
        if (d != null) {
          documents.add(d);
        }
      });
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
