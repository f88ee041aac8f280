package io.ringkv.testing;

import io.ringkv.config.ConfigLoader;
import io.ringkv.config.RingkvConfig;
import io.ringkv.node.RingkvNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds node configurations and starts nodes inside the test JVM. */
public final class TestNodes {
  private TestNodes() {}

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A config from flags only (no file, no environment), like {@code ringkv node --flag value...}. */
  public static RingkvConfig config(Map<String, String> flags) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("http-instances", "2");
    all.putAll(flags);
    return ConfigLoader.fromFlags(all);
  }

  /** A standalone single node (no Hazelcast) with N=1, for API and storage behaviour. */
  public static RingkvNode startSingle(String id, Path dataDir, Map<String, String> extraFlags) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("id", id);
    flags.put("join", "none");
    flags.put("http-port", Integer.toString(freePort()));
    flags.put("data-dir", dataDir.toString());
    flags.put("n", "1");
    flags.put("r", "1");
    flags.put("w", "1");
    flags.putAll(extraFlags);
    return start(config(flags));
  }

  public static RingkvNode start(RingkvConfig config) {
    try {
      return RingkvNode.start(config).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node " + config.id() + " did not start", e);
    }
  }

  public static void stop(RingkvNode node) {
    if (node != null) {
      try {
        node.stop().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("node " + node.id() + " did not stop", e);
      }
    }
  }
}
