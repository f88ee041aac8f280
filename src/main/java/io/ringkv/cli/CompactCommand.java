package io.ringkv.cli;

import io.ringkv.config.ConfigException;
import io.ringkv.storage.EngineStats;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageEngines;
import io.ringkv.storage.StorageOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv compact}: a full compaction of a stopped node's data dir, with the engine the dir
 * holds, and the disk bytes before and after (what docs/storage.md reports).
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Compact a stopped node's data dir fully; print disk bytes before and after as JSON.")
public final class CompactCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", required = true, description = "The node's data dir (the node must be stopped).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    StorageEngine db;
    try {
      String engine = StorageEngines.engineOf(dataDir);
      if (engine == null) {
        spec.commandLine().getErr().println("compact: data dir " + dataDir + " holds no leveldb or rocksdb data");
        return 2;
      }
      long before = StorageEngines.diskBytes(dataDir);
      db = StorageEngines.open(dataDir, StorageOptions.defaults(engine));
      long started = System.nanoTime();
      EngineStats stats;
      try {
        db.compact();
        stats = db.stats();
      } finally {
        db.close();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      spec.commandLine().getOut().println(new JsonObject().put("dataDir", dataDir.toString()).put("engine", engine)
          .put("diskBytesBefore", before).put("diskBytesAfter", StorageEngines.diskBytes(dataDir))
          .put("seconds", Math.round(seconds * 10) / 10.0).put("stats", new JsonObject(stats.reported())).encode());
      return 0;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("compact: " + e.getMessage());
      return 2;
    }
  }
}
