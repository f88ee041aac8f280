package io.ringkv.k8s;

import static io.ringkv.k8s.Manifests.at;
import static io.ringkv.k8s.Manifests.list;
import static io.ringkv.k8s.Manifests.map;

import io.ringkv.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod of the StatefulSet, started the way a container runtime would start it, but with chroot
 * instead of a container (container runtimes need cgroups these machines do not give): the image's
 * root file system (read-only, as the manifest asks), the image's entrypoint, environment and
 * working directory, then what the manifest adds (its environment with the downward API filled
 * in, its user and groups, its volumes bind-mounted at their paths, a kubelet-style /etc/hosts),
 * all in a private mount namespace that vanishes with the process.
 *
 * <p>One thing differs from a cluster: pods have a network namespace each, these three share the
 * machine's. So each pod binds its own pod IP (127.0.0.x) instead of 0.0.0.0; what the pod
 * advertises, its ports and everything else are the manifest's.
 */
final class ChrootPod {
  private ChrootPod() {}

  /**
   * @param hosts the pod's /etc/hosts: the headless service's name with every pod IP stands in
   *     for the cluster's DNS, read by the image's own resolver (glibc, "hosts: files dns")
   */
  static NodeProcess start(UnpackedImage image, Manifests k8s, String podName, String podIp, Path podDir,
      String hosts) throws Exception {
    Map<String, Object> container = k8s.container();
    Map<String, Object> podSecurity = map(k8s.podSpec().get("securityContext"));
    int uid = (Integer) podSecurity.getOrDefault("runAsUser", image.uid());
    int gid = (Integer) podSecurity.getOrDefault("runAsGroup", image.gid());
    int fsGroup = (Integer) podSecurity.get("fsGroup");

    Map<String, String> env = new LinkedHashMap<>(image.env());
    env.put("HOSTNAME", podName);
    env.putAll(k8s.environment(podName, podIp, "default"));
    env.put("RINGKV_HOST", podIp);

    List<String> script = new ArrayList<>(List.of("set -e", "R=" + image.rootfs()));
    if (Boolean.TRUE.equals(at(container, "securityContext", "readOnlyRootFilesystem"))) {
      script.add("mount --bind \"$R\" \"$R\" && mount -o remount,bind,ro \"$R\"");
    }
    script.add("mount -t proc proc \"$R/proc\"");
    script.add("mount --rbind /dev \"$R/dev\"");
    for (Object item : list(container, "volumeMounts")) {
      Map<String, Object> mount = map(item);
      String name = (String) mount.get("name");
      String path = (String) mount.get("mountPath");
      Path source = volume(k8s, name, podDir.resolve("volumes").resolve(name), fsGroup);
      Files.createDirectories(image.rootfs().resolve(path.substring(1)));
      script.add("mount --bind '" + source + "' \"$R" + path + "\"");
      if (Boolean.TRUE.equals(mount.get("readOnly"))) {
        script.add("mount -o remount,bind,ro \"$R" + path + "\"");
      }
    }
    Path hostsFile = podDir.resolve("hosts");
    Files.writeString(hostsFile, hosts);
    script.add("mount --bind '" + hostsFile + "' \"$R/etc/hosts\"");
    script.add("exec chroot --userspec=" + uid + ":" + gid + " --groups=" + fsGroup
        + " \"$R\" /usr/bin/env -C '" + image.cwd() + "' \"$@\"");

    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
        "sh", "-c", String.join("\n", script), "pod-" + podName));
    command.addAll(image.args());
    return NodeProcess.ofCommand(podName, command, env).start();
  }

  /**
   * The host directory behind a pod volume, as the kubelet prepares it: a volume claim (the data)
   * or an emptyDir owned by the pod's fsGroup and group-writable, a configMap's keys as files.
   */
  private static Path volume(Manifests k8s, String name, Path dir, int fsGroup) throws Exception {
    Files.createDirectories(dir);
    boolean claim = list(k8s.statefulSet(), "spec", "volumeClaimTemplates").stream()
        .anyMatch(t -> name.equals(at(t, "metadata", "name")));
    if (claim || k8s.volume(name).containsKey("emptyDir")) {
      UnpackedImage.run(List.of("chown", "0:" + fsGroup, dir.toString()));
      UnpackedImage.run(List.of("chmod", claim ? "2775" : "1777", dir.toString()));
      return dir;
    }
    Object configMap = at(k8s.volume(name), "configMap", "name");
    if (configMap == null) {
      throw new AssertionError("volume " + name + " is of a kind this test does not set up: " + k8s.volume(name));
    }
    for (Map.Entry<String, String> file : k8s.configMapData((String) configMap).entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
    return dir;
  }
}
