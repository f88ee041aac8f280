package io.ringkv.bench;

import io.ringkv.config.ConfigException;
import io.ringkv.config.RingkvConfig;
import io.ringkv.ring.KeyHasher;
import io.ringkv.storage.EngineStats;
import io.ringkv.storage.KeyLayout;
import io.ringkv.storage.Mutation;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageEngines;
import io.ringkv.storage.StorageOptions;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv fill}: writes the data set of a read benchmark straight into a stopped node's data
 * dir, far faster than through HTTP. Each key gets exactly the record one blind PUT would leave (one
 * version, empty past), under the actor {@value #ACTOR}, so copies of the dir are identical replicas
 * of every partition: fill once, copy to each node of a cluster whose N equals its size. It then
 * waits for the engine's compaction to catch up, so the dir is left settled.
 */
@Command(name = "fill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write bench keys (PREFIX0..PREFIX(keys-1)) into a stopped node's data dir, as blind PUTs would.")
public final class FillCommand implements Callable<Integer> {

    /** The actor of the filled versions: no node takes this name (node ids are theirs). */
    static final String ACTOR = "fill";
    private static final int BATCH = 1000;
    /** Compaction counts as done once the engine wrote no table bytes for this long. */
    private static final long QUIET_MS = 6_000;
    private static final long MAX_SETTLE_MS = 900_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "The node's data dir (the node must be stopped).")
    Path dataDir;

    @Option(names = "--engine", paramLabel = "leveldb|rocksdb",
            description = "Engine of a new data dir; an existing one must match (default: as a node chooses).")
    String engine;

    @Option(names = "--keys", defaultValue = "1000000", description = "Number of keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--value-bytes", defaultValue = "100", description = "Value size (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--key-prefix", defaultValue = BenchConfig.DEFAULT_KEY_PREFIX,
            description = "Key names, as bench's --key-prefix (default: ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--partitions", defaultValue = "" + RingkvConfig.DEFAULT_PARTITIONS,
            description = "The cluster's partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random values (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (keys < 1 || valueBytes < 0 || partitions < 1 || partitions > RingkvConfig.MAX_PARTITIONS) {
            err.println("fill: need --keys >= 1, --value-bytes >= 0 and --partitions 1.." + RingkvConfig.MAX_PARTITIONS);
            return 2;
        }
        StorageEngine db;
        try {
            db = StorageEngines.open(dataDir, StorageOptions.defaults(StorageEngines.resolve(dataDir, engine)));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("fill: " + e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        EngineStats stats;
        double seconds;
        double settleSeconds;
        try {
            write(db, err);
            seconds = (System.nanoTime() - started) / 1e9;
            stats = settle(db, err);
            settleSeconds = (System.nanoTime() - started) / 1e9 - seconds;
        } finally {
            db.close();
        }
        JsonObject out = new JsonObject().put("dataDir", dataDir.toString()).put("engine", db.name())
                .put("keys", keys).put("valueBytes", valueBytes).put("seconds", Math.round(seconds * 10) / 10.0)
                .put("keysPerSecond", Math.round(keys / seconds))
                .put("settleSeconds", Math.round(settleSeconds * 10) / 10.0)
                .put("diskBytes", StorageEngines.diskBytes(dataDir))
                .put("stats", new JsonObject(stats.reported()));
        spec.commandLine().getOut().println(out.encode());
        return 0;
    }

    /**
     * Waits until the engine's background compaction has caught up with the load (no table bytes
     * written for {@link #QUIET_MS}), so that the figures include the load's whole compaction debt
     * and a node started on the dir finds it settled, whatever the engine.
     */
    private static EngineStats settle(StorageEngine db, PrintWriter err) throws InterruptedException {
        long deadline = System.currentTimeMillis() + MAX_SETTLE_MS;
        EngineStats last = db.stats();
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - quietSince < QUIET_MS && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            EngineStats now = db.stats();
            if (now.tableBytesWritten() != last.tableBytesWritten() || now.pendingCompactionBytes() > 0) {
                quietSince = System.currentTimeMillis();
            }
            last = now;
        }
        err.println("fill: compaction settled");
        err.flush();
        return last;
    }

    private void write(StorageEngine db, PrintWriter err) {
        SplittableRandom random = new SplittableRandom(seed);
        long now = System.currentTimeMillis();
        List<Mutation> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < keys; i++) {
            byte[] key = (keyPrefix + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            Version version = new Version(new Dot(ACTOR, i + 1L), VersionVector.empty(), now, false,
                    "application/octet-stream", value);
            batch.add(Mutation.put(KeyLayout.dataKey(KeyHasher.partitionOf(key, partitions), key),
                    SiblingSetCodec.encode(SiblingSet.of(List.of(version)))));
            if (batch.size() == BATCH || i == keys - 1) {
                db.write(batch, false);
                batch = new ArrayList<>(BATCH);
            }
            if ((i + 1) % 500_000 == 0) {
                err.println("fill: " + (i + 1) + " keys");
                err.flush();
            }
        }
    }
}
