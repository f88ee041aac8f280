package io.ringkv.config;

import io.ringkv.ring.Replication;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The immutable configuration of one node. Built by {@link ConfigLoader} from built-in defaults,
 * then {@code conf/ringkv.json}, then {@code RINGKV_*} environment variables, then CLI flags.
 * Every field is documented with its default and trade-off in the README's configuration table.
 */
public record RingkvConfig(
    String id,
    String host,
    int httpPort,
    int clusterPort,
    List<String> seeds,
    String join,
    String dnsName,
    Path dataDir,
    String dc,
    int n,
    String replication,
    int r,
    int w,
    int partitions,
    Durability durability,
    String conflicts,
    boolean hintedHandoff,
    int maxValueBytes,
    long requestTimeoutMs,
    long tombstoneGraceMs,
    int httpInstances,
    long gossipIntervalMs,
    long suspectAfterMs,
    long downAfterMs,
    long remoteDcSuspectAfterMs,
    long remoteDcDownAfterMs,
    boolean nativeTransport,
    long cacheBytes,
    int writeBufferBytes,
    long rowCacheBytes,
    boolean httpRequestMetrics,
    int siblingsWarn,
    int maxSiblings,
    boolean faultInjection,
    long maxHintBytes,
    int handoffKeysPerSecond,
    boolean autoJoin,
    long transferBytesPerSecond,
    long antiEntropyIntervalMs,
    int treeFanout,
    int treeDepth,
    int antiEntropyExchanges,
    long antiEntropyBytesPerSecond,
    String advertiseHost,
    String engine,
    int bloomBitsPerKey,
    SecurityConfig security) {

  public static final String DEFAULT_ID = "n1";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final String DEFAULT_JOIN = "tcp";
  public static final String DEFAULT_DC = "dc1";
  public static final int DEFAULT_N = 3;
  public static final int DEFAULT_R = 2;
  public static final int DEFAULT_W = 2;
  public static final int DEFAULT_PARTITIONS = 256;
  public static final Durability DEFAULT_DURABILITY = Durability.ASYNC;
  public static final String DEFAULT_CONFLICTS = "siblings";
  public static final boolean DEFAULT_HINTED_HANDOFF = true;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_TOMBSTONE_GRACE_MS = 86_400_000L;
  /**
   * Failure detection (docs/failure-handling.md): a member silent for {@code suspectAfterMs} is
   * suspect, for {@code downAfterMs} down (its share goes to fallbacks). With these defaults a
   * killed or paused node is down everywhere within 3 s, and a loaded 3-node cluster on 2 shared
   * cores showed no false suspicion.
   */
  public static final long DEFAULT_GOSSIP_INTERVAL_MS = 200;
  public static final long DEFAULT_SUSPECT_AFTER_MS = 1_000;
  public static final long DEFAULT_DOWN_AFTER_MS = 2_500;
  /**
   * The same for members of another DC (with {@code --replication}): a WAN link has more jitter,
   * and a remote DC declared down early only costs hints instead of relay batches.
   */
  public static final long DEFAULT_REMOTE_DC_SUSPECT_AFTER_MS = 2_000;
  public static final long DEFAULT_REMOTE_DC_DOWN_AFTER_MS = 5_000;
  /** Netty's epoll transport where it loads (Linux x86_64), else NIO; see docs/architecture.md. */
  public static final boolean DEFAULT_NATIVE_TRANSPORT = true;
  /** LevelDB's block cache (off the Java heap with leveldb-jni). */
  public static final long DEFAULT_CACHE_BYTES = 64L << 20;
  /** LevelDB's memtable size before it becomes a level-0 table. */
  public static final int DEFAULT_WRITE_BUFFER_BYTES = 16 << 20;
  /** The smallest memtable the storage engine accepts. */
  public static final int MIN_WRITE_BUFFER_BYTES = 64 << 10;
  /**
   * Cache of stored (encoded) records on the Java heap in front of LevelDB: a hit answers a read on the event
   * loop, without a worker hand-off or a LevelDB get. 0 turns it off.
   */
  public static final long DEFAULT_ROW_CACHE_BYTES = 64L << 20;
  /**
   * Vert.x's own per-request HTTP server meters (vertx_http_server_*). Off by default: they cost
   * about 5% of a busy node's CPU and repeat what ringkv_requests_total and
   * ringkv_quorum_latency_seconds already report.
   */
  public static final boolean DEFAULT_HTTP_REQUEST_METRICS = false;
  /** Empty: other nodes and clients are told {@code host}, the address the node binds. */
  public static final String DEFAULT_ADVERTISE_HOST = "";
  private static final int MAX_WRITE_BUFFER_BYTES = 1 << 30;
  /**
   * A coordinated write that leaves a key with more siblings than this is logged (once per key per
   * minute) and counted in ringkv_siblings_warnings_total. Riak's default.
   */
  public static final int DEFAULT_SIBLINGS_WARN = 25;
  /**
   * A coordinated write that would leave a key with more siblings than this is refused (409
   * too_many_siblings) and nothing is written: reads of such a key grow with every blind write.
   * Riak's default. Merges from other replicas are never refused.
   */
  public static final int DEFAULT_MAX_SIBLINGS = 100;
  /** The fault-injection endpoints and interceptors (tests, game days); off in production. */
  public static final boolean DEFAULT_FAULT_INJECTION = false;
  /**
   * Hints a node keeps for others, in bytes of stored records: above it new hints are dropped
   * (counted; anti-entropy repairs those replicas later). Bounds the disk an outage can cost.
   */
  public static final long DEFAULT_MAX_HINT_BYTES = 256L << 20;
  /** How fast hints are handed back to a recovered node, in keys per second (client traffic first). */
  public static final int DEFAULT_HANDOFF_KEYS_PER_SECOND = 20_000;
  /** A new node joins the ring by itself once it has learned it; false: it waits for POST .../join. */
  public static final boolean DEFAULT_AUTO_JOIN = true;
  /** How fast a node copies partitions during a membership change (client traffic keeps the rest). */
  public static final long DEFAULT_TRANSFER_BYTES_PER_SECOND = 32L << 20;
  /**
   * The storage engine of a new data dir when none is configured ({@code engine} is then null):
   * RocksDB (bloom filters on the read path; docs/storage.md), or LevelDB where RocksDB's native
   * library does not load. Without a configured engine an existing data dir opens with its own.
   */
  public static final String DEFAULT_ENGINE = "rocksdb";
  public static final List<String> ENGINES = List.of("leveldb", "rocksdb");
  /** RocksDB's bloom filter bits per key: about 1% false positives at 10; 0 turns filters off. */
  public static final int DEFAULT_BLOOM_BITS_PER_KEY = 10;
  public static final int MAX_BLOOM_BITS_PER_KEY = 32;

  /**
   * Anti-entropy (docs/anti-entropy.md): a full pass over every partition this node replicates
   * every {@code antiEntropyIntervalMs} (0: only on POST /cluster/antientropy/run), Merkle trees of
   * {@code treeFanout^treeDepth} leaves per partition (4096: about 35 KiB each), at most
   * {@code antiEntropyExchanges} partitions compared at once and {@code antiEntropyBytesPerSecond}
   * of exchange traffic, so client traffic keeps its share.
   */
  public static final long DEFAULT_ANTI_ENTROPY_INTERVAL_MS = 60_000;
  public static final int DEFAULT_TREE_FANOUT = 16;
  public static final int DEFAULT_TREE_DEPTH = 3;
  public static final int DEFAULT_ANTI_ENTROPY_EXCHANGES = 2;
  public static final long DEFAULT_ANTI_ENTROPY_BYTES_PER_SECOND = 1L << 20;

  /** Hard ceiling for a value, whatever the configuration says: values are meant to be small. */
  public static final int MAX_VALUE_BYTES_CEILING = 64 * 1024 * 1024;
  public static final int MAX_PARTITIONS = 65_536;
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public enum Durability {
    ASYNC, SYNC;

    public static Durability parse(String s) {
      return switch (s.trim().toLowerCase()) {
        case "async" -> ASYNC;
        case "sync" -> SYNC;
        default -> throw new ConfigException("durability must be async or sync, got '" + s + "'");
      };
    }
  }

  public RingkvConfig {
    seeds = List.copyOf(seeds);
    validate(id, host, httpPort, clusterPort, join, n, r, w, partitions, conflicts, maxValueBytes,
        requestTimeoutMs, httpInstances, gossipIntervalMs, suspectAfterMs, downAfterMs);
    replication = replication == null ? "" : replication.trim();
    require(Replication.validDcName(dc), "dc must be 1..64 characters of A-Z a-z 0-9 _ . -, got '" + dc + "'");
    if (!replication.isEmpty()) {
      Replication parsed;
      try {
        parsed = Replication.parse(replication, n);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
      require(parsed.slot(dc) >= 0, "dc " + dc + " is not listed in replication " + parsed.text());
      n = parsed.n();
    }
    require(remoteDcSuspectAfterMs > gossipIntervalMs && remoteDcDownAfterMs > remoteDcSuspectAfterMs,
        "need gossip-interval-ms < remote-dc-suspect-after-ms < remote-dc-down-after-ms");
    require(cacheBytes >= 0 && cacheBytes <= 1L << 40, "cache-bytes must be 0..2^40, got " + cacheBytes);
    require(rowCacheBytes >= 0 && rowCacheBytes <= 1L << 40, "row-cache-bytes must be 0..2^40, got " + rowCacheBytes);
    require(maxHintBytes >= 0 && maxHintBytes <= 1L << 40, "max-hint-bytes must be 0..2^40, got " + maxHintBytes);
    require(transferBytesPerSecond >= 64 * 1024 && transferBytesPerSecond <= 1L << 34,
        "transfer-bytes-per-second must be 65536..2^34, got " + transferBytesPerSecond);
    require(handoffKeysPerSecond >= 1 && handoffKeysPerSecond <= 1_000_000,
        "handoff-keys-per-second must be 1..1000000, got " + handoffKeysPerSecond);
    require(writeBufferBytes >= MIN_WRITE_BUFFER_BYTES && writeBufferBytes <= MAX_WRITE_BUFFER_BYTES,
        "write-buffer-bytes must be " + MIN_WRITE_BUFFER_BYTES + ".." + MAX_WRITE_BUFFER_BYTES
            + ", got " + writeBufferBytes);
    require(antiEntropyIntervalMs == 0 || antiEntropyIntervalMs >= 100,
        "anti-entropy-interval-ms must be 0 (off) or >= 100, got " + antiEntropyIntervalMs);
    require(treeFanout >= 2 && treeFanout <= 256, "anti-entropy-tree-fanout must be 2..256, got " + treeFanout);
    require(treeDepth >= 1 && treeDepth <= 10 && Math.pow(treeFanout, treeDepth) <= 1 << 20,
        "anti-entropy-tree-depth must be 1..10 with at most 2^20 leaves (fanout^depth), got depth " + treeDepth);
    require(antiEntropyExchanges >= 1 && antiEntropyExchanges <= 64,
        "anti-entropy-max-exchanges must be 1..64, got " + antiEntropyExchanges);
    require(antiEntropyBytesPerSecond >= 64 * 1024 && antiEntropyBytesPerSecond <= 1L << 34,
        "anti-entropy-bytes-per-second must be 65536..2^34, got " + antiEntropyBytesPerSecond);
    require(tombstoneGraceMs >= 0, "tombstone-grace-ms must be >= 0, got " + tombstoneGraceMs);
    require(siblingsWarn >= 1, "siblings-warn must be >= 1, got " + siblingsWarn);
    require(maxSiblings >= siblingsWarn, "max-siblings (" + maxSiblings + ") must be >= siblings-warn ("
        + siblingsWarn + ")");
    advertiseHost = advertiseHost == null ? "" : advertiseHost.trim();
    validateAddresses(host, join, dnsName, advertiseHost);
    require(engine == null || ENGINES.contains(engine), "engine must be leveldb or rocksdb, got '" + engine + "'");
    require(bloomBitsPerKey >= 0 && bloomBitsPerKey <= MAX_BLOOM_BITS_PER_KEY,
        "bloom-bits-per-key must be 0.." + MAX_BLOOM_BITS_PER_KEY + ", got " + bloomBitsPerKey);
    security = security == null ? SecurityConfig.off() : security;
  }

  /**
   * The address other nodes and clients are told: gossiped to peers, Hazelcast's public address
   * and the event bus's public host. {@code advertise-host} when given, else {@code host}.
   */
  public String advertisedHost() {
    return advertiseHost.isEmpty() ? host : advertiseHost;
  }

  /** True for an address that binds every interface ({@code 0.0.0.0}, {@code ::}). */
  public static boolean isWildcard(String address) {
    String a = address.trim();
    return a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]") || a.equals("::0");
  }

  private static void validateAddresses(String host, String join, String dnsName, String advertiseHost) {
    require(!"dns".equals(join) || dnsName != null && !dnsName.isBlank(),
        "join dns needs dns-name: the DNS name that resolves to every node (a headless service)");
    require(advertiseHost.isEmpty() || !isWildcard(advertiseHost),
        "advertise-host must be an address other nodes can reach, got '" + advertiseHost + "'");
    require("none".equals(join) || !isWildcard(host) || !advertiseHost.isEmpty(),
        "host " + host + " binds every interface: set advertise-host to the address other nodes reach"
            + " (in Kubernetes the pod IP)");
  }

  /** The row cache lives on the Java heap: more than half of it would starve everything else. */
  public void requireFitsHeap(long maxHeapBytes) {
    require(rowCacheBytes <= maxHeapBytes / 2, "row-cache-bytes (" + rowCacheBytes
        + ") is more than half of the Java heap (" + maxHeapBytes + " bytes, -Xmx); lower it or raise -Xmx");
  }

  /** Replicas per DC with {@code --replication}, else N on one ring. */
  public Replication replicationPlan() {
    return Replication.parse(replication, n);
  }

  /** True with {@code --replication}: replicas per DC and the DC-aware consistency levels. */
  public boolean multiDc() {
    return !replication.isEmpty();
  }

  public boolean syncWrites() {
    return durability == Durability.SYNC;
  }

  @SuppressWarnings("java:S107")
  private static void validate(String id, String host, int httpPort, int clusterPort, String join,
      int n, int r, int w, int partitions, String conflicts, int maxValueBytes, long requestTimeoutMs,
      int httpInstances, long gossipIntervalMs, long suspectAfterMs, long downAfterMs) {
    require(id != null && NODE_ID.matcher(id).matches(),
        "id must be 1..64 characters of A-Z a-z 0-9 _ . -, got '" + id + "'");
    require(host != null && !host.isBlank(), "host must not be empty");
    require(httpPort >= 0 && httpPort <= 65535, "http-port must be 0..65535, got " + httpPort);
    require(clusterPort >= 0 && clusterPort <= 65535, "cluster-port must be 0..65535, got " + clusterPort);
    require("tcp".equals(join) || "dns".equals(join) || "none".equals(join),
        "join must be tcp, dns or none, got '" + join + "'");
    require(n >= 1 && n <= 9, "n must be 1..9, got " + n);
    require(r >= 1 && r <= n, "r must be 1..n (" + n + "), got " + r);
    require(w >= 1 && w <= n, "w must be 1..n (" + n + "), got " + w);
    require(partitions >= 1 && partitions <= MAX_PARTITIONS,
        "partitions must be 1.." + MAX_PARTITIONS + ", got " + partitions);
    require("siblings".equals(conflicts) || "lww".equals(conflicts),
        "conflicts must be siblings or lww, got '" + conflicts + "'");
    require(maxValueBytes >= 0 && maxValueBytes <= MAX_VALUE_BYTES_CEILING,
        "max-value-bytes must be 0.." + MAX_VALUE_BYTES_CEILING + ", got " + maxValueBytes);
    require(requestTimeoutMs >= 1 && requestTimeoutMs <= 600_000,
        "request-timeout-ms must be 1..600000, got " + requestTimeoutMs);
    require(httpInstances >= 1 && httpInstances <= 64, "http-instances must be 1..64, got " + httpInstances);
    require(gossipIntervalMs >= 10, "gossip-interval-ms must be >= 10");
    require(suspectAfterMs > gossipIntervalMs && downAfterMs > suspectAfterMs,
        "need gossip-interval-ms < suspect-after-ms < down-after-ms");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
