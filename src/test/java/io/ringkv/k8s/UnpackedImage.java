package io.ringkv.k8s;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An OCI image tarball unpacked by umoci into a root file system plus the runtime configuration
 * a container runtime derives from the image: the process's arguments (entrypoint + cmd), its
 * environment, working directory and user.
 */
record UnpackedImage(Path rootfs, List<String> args, Map<String, String> env, String cwd, int uid, int gid) {

  static UnpackedImage unpack(Path imageTar, Path dir) throws Exception {
    Path layout = dir.resolve("oci");
    Files.createDirectories(layout);
    run(List.of("tar", "-xf", imageTar.toString(), "-C", layout.toString()));
    String ref = new JsonObject(Files.readString(layout.resolve("index.json"))).getJsonArray("manifests")
        .getJsonObject(0).getJsonObject("annotations").getString("org.opencontainers.image.ref.name");
    Path bundle = dir.resolve("bundle");
    run(List.of("umoci", "unpack", "--image", layout + ":" + ref, bundle.toString()));
    JsonObject process = new JsonObject(Files.readString(bundle.resolve("config.json"))).getJsonObject("process");
    Map<String, String> env = new LinkedHashMap<>();
    for (Object entry : process.getJsonArray("env", new JsonArray())) {
      String text = (String) entry;
      int eq = text.indexOf('=');
      env.put(text.substring(0, eq), text.substring(eq + 1));
    }
    JsonObject user = process.getJsonObject("user");
    return new UnpackedImage(bundle.resolve("rootfs"),
        process.getJsonArray("args").stream().map(String::valueOf).toList(), env, process.getString("cwd", "/"),
        user.getInteger("uid", 0), user.getInteger("gid", 0));
  }

  /** Runs a tool to completion; fails with its output unless it exits 0. */
  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
