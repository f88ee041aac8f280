package io.ringkv.bench;

import io.ringkv.config.ConfigException;
import io.ringkv.storage.GroupCommitWriter;
import io.ringkv.storage.ReplicaStore;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageEngines;
import io.ringkv.storage.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringkv ceiling}: runs {@link CeilingServer} until the process is killed. */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = "Serve ringkv's /kv routes from an in-memory map: the throughput ceiling for 'bench'.")
public final class CeilingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--http-port", defaultValue = "8090", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--instances", description = "Verticle instances, one per event loop (default: CPU cores).")
    Integer instances;

    @Option(names = "--synced-log", paramLabel = "DIR",
            description = "Also write every PUT and DELETE to a database in DIR (laid out as a node's data dir) "
                    + "through ringkv's group-commit writer, synced, before answering: the ceiling for durability sync.")
    Path syncedLogDir;

    @Option(names = "--engine", paramLabel = "leveldb|rocksdb",
            description = "Storage engine of --synced-log, with a node's default sizes (default: as a node chooses).")
    String engine;

    @Override
    public Integer call() throws Exception {
        int n = instances != null ? instances : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            spec.commandLine().getErr().println("--instances must be >= 1");
            return 2;
        }
        if (engine != null && !StorageOptions.LEVELDB.equals(engine) && !StorageOptions.ROCKSDB.equals(engine)) {
            spec.commandLine().getErr().println("--engine must be leveldb or rocksdb, got '" + engine + "'");
            return 2;
        }
        StorageEngine db = null;
        GroupCommitWriter syncedLog = null;
        // The same transport as the nodes it is compared with (epoll where it loads).
        Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        try {
            if (syncedLogDir != null) {
                try {
                    db = StorageEngines.open(syncedLogDir,
                            StorageOptions.defaults(StorageEngines.resolve(syncedLogDir, engine)));
                } catch (IOException | ConfigException e) {
                    throw new IOException("cannot open a database for --synced-log in " + syncedLogDir
                            + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
                }
                syncedLog = new GroupCommitWriter(db, true,
                        ReplicaStore.WRITER_MAX_BATCH, ReplicaStore.WRITER_MAX_QUEUED);
            }
            CeilingServer.deploy(vertx, host, httpPort, n, syncedLog).await();
        } catch (Exception e) {
            spec.commandLine().getErr().println("ceiling: cannot start: " + e.getMessage());
            vertx.close().await();
            closeLog(syncedLog, db);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        GroupCommitWriter log = syncedLog;
        StorageEngine logEngine = db;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().await();
            closeLog(log, logEngine);
            stopped.countDown();
        }, "ceiling-shutdown"));
        spec.commandLine().getOut().println("ceiling ready http=" + httpPort);
        spec.commandLine().getOut().flush();
        // "Runs until killed": the main thread parks here; SIGTERM runs the hook, which closes Vert.x.
        stopped.await();
        return 0;
    }

    private static void closeLog(GroupCommitWriter log, StorageEngine engine) {
        if (log != null) {
            log.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
