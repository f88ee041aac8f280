package io.ringkv.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Layers the configuration: built-in defaults, then the JSON file, then {@code RINGKV_*}
 * environment variables, then command-line flags (flags win). Every setting has one flag name
 * (kebab case); its environment variable is {@code RINGKV_} + the flag in upper snake case, and
 * its JSON field is the flag in camel case (some also accept a nested path, e.g.
 * {@code limits.maxValueBytes}, {@code conflicts.mode}).
 */
public final class ConfigLoader {

  /** One setting: flag name, accepted JSON paths, default as text ({@code null} = derived). */
  private record Setting(String flag, String defaultValue, String... jsonPaths) {}

  private static final List<Setting> SETTINGS = List.of(
      new Setting("id", RingkvConfig.DEFAULT_ID, "id", "node.id"),
      new Setting("host", RingkvConfig.DEFAULT_HOST, "host", "node.host"),
      new Setting("http-port", "" + RingkvConfig.DEFAULT_HTTP_PORT, "httpPort", "node.httpPort"),
      new Setting("cluster-port", "" + RingkvConfig.DEFAULT_CLUSTER_PORT, "clusterPort", "node.clusterPort"),
      new Setting("seeds", "", "seeds", "cluster.seeds"),
      new Setting("join", RingkvConfig.DEFAULT_JOIN, "join", "cluster.join"),
      new Setting("dns-name", "", "dnsName", "cluster.dnsName"),
      new Setting("data-dir", null, "dataDir", "node.dataDir"),
      new Setting("dc", RingkvConfig.DEFAULT_DC, "dc", "node.dc"),
      new Setting("n", "" + RingkvConfig.DEFAULT_N, "n", "replication.n"),
      new Setting("replication", "", "replication", "replication.perDc"),
      new Setting("r", "" + RingkvConfig.DEFAULT_R, "r", "replication.r"),
      new Setting("w", "" + RingkvConfig.DEFAULT_W, "w", "replication.w"),
      new Setting("partitions", "" + RingkvConfig.DEFAULT_PARTITIONS, "partitions", "cluster.partitions"),
      new Setting("durability", "async", "durability", "storage.durability"),
      new Setting("conflicts", RingkvConfig.DEFAULT_CONFLICTS, "conflicts", "conflicts.mode"),
      new Setting("hinted-handoff", "" + RingkvConfig.DEFAULT_HINTED_HANDOFF, "hintedHandoff",
          "replication.hintedHandoff"),
      new Setting("max-value-bytes", "" + RingkvConfig.DEFAULT_MAX_VALUE_BYTES, "maxValueBytes",
          "limits.maxValueBytes"),
      new Setting("siblings-warn", "" + RingkvConfig.DEFAULT_SIBLINGS_WARN, "siblingsWarn", "limits.siblingsWarn"),
      new Setting("max-siblings", "" + RingkvConfig.DEFAULT_MAX_SIBLINGS, "maxSiblings", "limits.maxSiblings"),
      new Setting("request-timeout-ms", "" + RingkvConfig.DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs",
          "replication.requestTimeoutMs"),
      new Setting("tombstone-grace-ms", "" + RingkvConfig.DEFAULT_TOMBSTONE_GRACE_MS, "tombstoneGraceMs",
          "tombstones.graceMs"),
      new Setting("http-instances", null, "httpInstances", "node.httpInstances"),
      new Setting("gossip-interval-ms", "" + RingkvConfig.DEFAULT_GOSSIP_INTERVAL_MS, "gossipIntervalMs",
          "gossip.intervalMs"),
      new Setting("suspect-after-ms", "" + RingkvConfig.DEFAULT_SUSPECT_AFTER_MS, "suspectAfterMs",
          "gossip.suspectAfterMs"),
      new Setting("down-after-ms", "" + RingkvConfig.DEFAULT_DOWN_AFTER_MS, "downAfterMs",
          "gossip.downAfterMs"),
      new Setting("remote-dc-suspect-after-ms", "" + RingkvConfig.DEFAULT_REMOTE_DC_SUSPECT_AFTER_MS,
          "remoteDcSuspectAfterMs", "gossip.remoteDcSuspectAfterMs"),
      new Setting("remote-dc-down-after-ms", "" + RingkvConfig.DEFAULT_REMOTE_DC_DOWN_AFTER_MS,
          "remoteDcDownAfterMs", "gossip.remoteDcDownAfterMs"),
      new Setting("native-transport", "" + RingkvConfig.DEFAULT_NATIVE_TRANSPORT, "nativeTransport",
          "node.nativeTransport"),
      new Setting("cache-bytes", "" + RingkvConfig.DEFAULT_CACHE_BYTES, "cacheBytes", "storage.cacheBytes"),
      new Setting("write-buffer-bytes", "" + RingkvConfig.DEFAULT_WRITE_BUFFER_BYTES, "writeBufferBytes",
          "storage.writeBufferBytes"),
      new Setting("row-cache-bytes", "" + RingkvConfig.DEFAULT_ROW_CACHE_BYTES, "rowCacheBytes",
          "storage.rowCacheBytes"),
      new Setting("http-request-metrics", "" + RingkvConfig.DEFAULT_HTTP_REQUEST_METRICS, "httpRequestMetrics",
          "metrics.httpRequests"),
      new Setting("fault-injection", "" + RingkvConfig.DEFAULT_FAULT_INJECTION, "faultInjection"),
      new Setting("max-hint-bytes", "" + RingkvConfig.DEFAULT_MAX_HINT_BYTES, "maxHintBytes", "hints.maxBytes"),
      new Setting("handoff-keys-per-second", "" + RingkvConfig.DEFAULT_HANDOFF_KEYS_PER_SECOND,
          "handoffKeysPerSecond", "hints.handoffKeysPerSecond"),
      new Setting("auto-join", "" + RingkvConfig.DEFAULT_AUTO_JOIN, "autoJoin", "cluster.autoJoin"),
      new Setting("transfer-bytes-per-second", "" + RingkvConfig.DEFAULT_TRANSFER_BYTES_PER_SECOND,
          "transferBytesPerSecond", "cluster.transferBytesPerSecond"),
      new Setting("anti-entropy-interval-ms", "" + RingkvConfig.DEFAULT_ANTI_ENTROPY_INTERVAL_MS,
          "antiEntropyIntervalMs", "antiEntropy.intervalMs"),
      new Setting("anti-entropy-tree-fanout", "" + RingkvConfig.DEFAULT_TREE_FANOUT, "antiEntropyTreeFanout",
          "antiEntropy.treeFanout"),
      new Setting("anti-entropy-tree-depth", "" + RingkvConfig.DEFAULT_TREE_DEPTH, "antiEntropyTreeDepth",
          "antiEntropy.treeDepth"),
      new Setting("anti-entropy-max-exchanges", "" + RingkvConfig.DEFAULT_ANTI_ENTROPY_EXCHANGES,
          "antiEntropyMaxExchanges", "antiEntropy.maxExchanges"),
      new Setting("anti-entropy-bytes-per-second", "" + RingkvConfig.DEFAULT_ANTI_ENTROPY_BYTES_PER_SECOND,
          "antiEntropyBytesPerSecond", "antiEntropy.bytesPerSecond"),
      new Setting("advertise-host", RingkvConfig.DEFAULT_ADVERTISE_HOST, "advertiseHost", "node.advertiseHost"),
      // No default: unset, a data dir keeps its own engine and a new one gets the default.
      new Setting("engine", null, "engine", "storage.engine"),
      new Setting("bloom-bits-per-key", "" + RingkvConfig.DEFAULT_BLOOM_BITS_PER_KEY, "bloomBitsPerKey",
          "storage.bloomBitsPerKey"),
      // Security (docs/security.md): all off by default.
      new Setting("auth-tokens", "", "authTokens", "security.authTokens"),
      new Setting("tls-cert", "", "tlsCert", "security.tlsCert"),
      new Setting("tls-key", "", "tlsKey", "security.tlsKey"),
      new Setting("tls-ca", "", "tlsCa", "security.tlsCa"),
      new Setting("cluster-tls", "false", "clusterTls", "security.clusterTls"),
      new Setting("header-timeout-ms", "" + SecurityConfig.DEFAULT_HEADER_TIMEOUT_MS, "headerTimeoutMs",
          "security.headerTimeoutMs"));

  private ConfigLoader() {}

  /** The flag names this loader understands (the CLI offers exactly these). */
  public static List<String> flagNames() {
    return SETTINGS.stream().map(Setting::flag).toList();
  }

  /** Every JSON path the config file may use (nested fields dotted: {@code limits.maxValueBytes}). */
  public static List<String> jsonPaths() {
    return SETTINGS.stream().flatMap(s -> Arrays.stream(s.jsonPaths())).toList();
  }

  /**
   * @param configFile explicit {@code --config} file, or {@code null} to use
   *     {@code conf/ringkv.json} in the working directory when present
   * @param env the process environment ({@code System.getenv()})
   * @param flags flag name to value, only for flags given on the command line
   */
  public static RingkvConfig load(Path configFile, Map<String, String> env, Map<String, String> flags) {
    String fileFromEnv = env.get("RINGKV_CONFIG");
    Path file = configFile != null ? configFile
        : fileFromEnv != null && !fileFromEnv.isBlank() ? Path.of(fileFromEnv)
        : Files.isRegularFile(Path.of("conf/ringkv.json")) ? Path.of("conf/ringkv.json") : null;
    return layer(file, env, flags);
  }

  /** Built-in defaults and these flags only: no file, no environment (embedding, tests). */
  public static RingkvConfig fromFlags(Map<String, String> flags) {
    return layer(null, Map.of(), flags);
  }

  private static RingkvConfig layer(Path file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      if (s.defaultValue() != null) {
        values.put(s.flag(), s.defaultValue());
      }
    }
    if (file != null) {
      values.putAll(readFile(file));
    }
    for (Setting s : SETTINGS) {
      String v = env.get(envName(s.flag()));
      if (v != null) {
        values.put(s.flag(), v);
      }
    }
    for (Map.Entry<String, String> f : flags.entrySet()) {
      if (SETTINGS.stream().noneMatch(s -> s.flag().equals(f.getKey()))) {
        throw new ConfigException("unknown setting --" + f.getKey());
      }
      values.put(f.getKey(), f.getValue());
    }
    return build(values);
  }

  public static String envName(String flag) {
    return "RINGKV_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Map<String, String> readFile(Path file) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("config file " + file + " is not valid JSON: " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      for (String path : s.jsonPaths()) {
        Object v = lookup(json, path);
        if (v != null) {
          values.put(s.flag(), v instanceof JsonArray a ? String.join(",", a.stream().map(String::valueOf).toList())
              : String.valueOf(v));
        }
      }
    }
    return values;
  }

  private static Object lookup(JsonObject json, String path) {
    Object current = json;
    for (String part : path.split("\\.")) {
      if (!(current instanceof JsonObject obj)) {
        return null;
      }
      current = obj.getValue(part);
    }
    return current instanceof JsonObject ? null : current;
  }

  private static RingkvConfig build(Map<String, String> v) {
    String id = v.get("id");
    String dataDir = v.get("data-dir");
    int cores = Runtime.getRuntime().availableProcessors();
    return new RingkvConfig(
        id,
        v.get("host"),
        integer(v, "http-port"),
        integer(v, "cluster-port"),
        seeds(v.get("seeds")),
        v.get("join"),
        v.get("dns-name"),
        Path.of(dataDir == null || dataDir.isBlank() ? "data/" + id : dataDir),
        v.get("dc"),
        integer(v, "n"),
        v.get("replication"),
        integer(v, "r"),
        integer(v, "w"),
        integer(v, "partitions"),
        RingkvConfig.Durability.parse(v.get("durability")),
        v.get("conflicts").trim().toLowerCase(Locale.ROOT),
        bool(v, "hinted-handoff"),
        integer(v, "max-value-bytes"),
        longValue(v, "request-timeout-ms"),
        longValue(v, "tombstone-grace-ms"),
        v.containsKey("http-instances") ? integer(v, "http-instances") : Math.max(1, cores),
        longValue(v, "gossip-interval-ms"),
        longValue(v, "suspect-after-ms"),
        longValue(v, "down-after-ms"),
        longValue(v, "remote-dc-suspect-after-ms"),
        longValue(v, "remote-dc-down-after-ms"),
        bool(v, "native-transport"),
        longValue(v, "cache-bytes"),
        integer(v, "write-buffer-bytes"),
        longValue(v, "row-cache-bytes"),
        bool(v, "http-request-metrics"),
        integer(v, "siblings-warn"),
        integer(v, "max-siblings"),
        bool(v, "fault-injection"),
        longValue(v, "max-hint-bytes"),
        integer(v, "handoff-keys-per-second"),
        bool(v, "auto-join"),
        longValue(v, "transfer-bytes-per-second"),
        longValue(v, "anti-entropy-interval-ms"),
        integer(v, "anti-entropy-tree-fanout"),
        integer(v, "anti-entropy-tree-depth"),
        integer(v, "anti-entropy-max-exchanges"),
        longValue(v, "anti-entropy-bytes-per-second"),
        v.get("advertise-host"),
        v.get("engine") == null ? null : v.get("engine").trim().toLowerCase(Locale.ROOT),
        integer(v, "bloom-bits-per-key"),
        new SecurityConfig(v.get("auth-tokens"), v.get("tls-cert"), v.get("tls-key"), v.get("tls-ca"),
            bool(v, "cluster-tls"), longValue(v, "header-timeout-ms")));
  }

  private static List<String> seeds(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> seeds = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String seed : seeds) {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0 || colon == seed.length() - 1) {
        throw new ConfigException("seed '" + seed + "' must be host:port");
      }
      parseInt("seeds", seed.substring(colon + 1));
    }
    return seeds;
  }

  private static int integer(Map<String, String> v, String flag) {
    return parseInt(flag, v.get(flag));
  }

  private static int parseInt(String flag, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new ConfigException(flag + " must be an integer, got '" + text + "'");
    }
  }

  private static long longValue(Map<String, String> v, String flag) {
    String text = v.get(flag);
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new ConfigException(flag + " must be an integer, got '" + text + "'");
    }
  }

  private static boolean bool(Map<String, String> v, String flag) {
    String text = v.get(flag).trim().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new ConfigException(flag + " must be true or false, got '" + v.get(flag) + "'");
    }
    return Boolean.parseBoolean(text);
  }
}
