package io.ringkv.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How the local-cluster commands ({@code dev}, {@code chaos}) start a node: its own JVM, the same flags. */
public final class NodeLauncher {
  /**
   * JVM settings for every node. G1, not ZGC: on small machines ZGC's concurrent work costs the
   * node a third of its throughput and triples its open-loop p99 (docs/benchmarks.md).
   */
  public static final List<String> NODE_JVM_FLAGS = List.of("-XX:+UseG1GC", "-Xmx1g",
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private NodeLauncher() {}

  /** {@code java <jvmFlags> -jar <jar> node --flag value ...}, with this JVM's java. */
  public static List<String> command(Path jar, List<String> jvmFlags, Map<String, String> nodeFlags) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.toString(), "node"));
    nodeFlags.forEach((flag, value) -> {
      command.add("--" + flag);
      command.add(value);
    });
    return command;
  }

  /** The jar this command runs from (the nodes run the same one). */
  public static Path jarPath() {
    try {
      return Path.of(NodeLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate ringkv.jar", e);
    }
  }
}
