package io.ringkv.storage;

import io.ringkv.config.ConfigException;
import io.ringkv.config.RingkvConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Opens the storage engine of a node's data dir. The dir records its engine in a one-line
 * {@code ENGINE} file ({@code leveldb} or {@code rocksdb}) written before the engine first opens,
 * and the database lives in the subdirectory of that name, so a node never opens another engine's
 * data: it fails with a one-line {@link ConfigException} instead.
 */
public final class StorageEngines {

  /** The marker file in a data dir. */
  public static final String MARKER = "ENGINE";

  private StorageEngines() {}

  /**
   * Opens (creating if needed) the data dir's database with the configured engine. Blocking file
   * I/O: call off the event loop.
   *
   * @throws ConfigException if the dir holds another engine's data
   * @throws IOException if the database cannot be opened
   */
  public static StorageEngine open(Path dataDir, StorageOptions options) throws IOException {
    String engine = DataDirEngine.choose(dataDir, contents(dataDir), options.engine());
    Files.createDirectories(dataDir);
    writeMarker(dataDir, engine);
    return openEngine(dataDir, options);
  }

  /**
   * Opens the database a data dir already holds, with that dir's engine (maintenance tools).
   *
   * @throws ConfigException if the dir holds no database, or a bad marker
   */
  public static StorageEngine openExisting(Path dataDir, StorageOptions sizes) throws IOException {
    String engine = DataDirEngine.existing(dataDir, contents(dataDir));
    if (engine == null) {
      throw new ConfigException("data dir " + dataDir + " holds no leveldb or rocksdb data");
    }
    return open(dataDir, sizes.withEngine(engine));
  }

  /**
   * The engine a node opens {@code dataDir} with: the configured one (which must then match the
   * dir's); with none configured, the dir's own, and for a new dir {@value RingkvConfig#DEFAULT_ENGINE}
   * where its native library loads, else LevelDB. Blocking file I/O.
   */
  public static String resolve(Path dataDir, String configured) throws IOException {
    if (configured != null) {
      return configured;
    }
    String existing = engineOf(dataDir);
    if (existing != null) {
      return existing;
    }
    return RocksDbEngine.nativeLibraryLoads() ? RingkvConfig.DEFAULT_ENGINE : StorageOptions.LEVELDB;
  }

  /** The engine whose data the dir holds, or {@code null} when it holds none. */
  public static String engineOf(Path dataDir) throws IOException {
    return DataDirEngine.existing(dataDir, contents(dataDir));
  }

  /** Bytes of the files under {@code dir} (the engine's tables, logs and metadata). Blocking I/O. */
  public static long diskBytes(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      long total = 0;
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          total += Files.size(f);
        }
      }
      return total;
    }
  }

  private static StorageEngine openEngine(Path dataDir, StorageOptions options) throws IOException {
    Path dir = dataDir.resolve(options.engine());
    return StorageOptions.ROCKSDB.equals(options.engine())
        ? RocksDbEngine.open(dir, options.rocksDb())
        : LevelDbEngine.open(dir, options.levelDb());
  }

  private static DataDirEngine.Contents contents(Path dataDir) throws IOException {
    Path marker = dataDir.resolve(MARKER);
    String text = Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8) : null;
    // CURRENT names the manifest in both engines: a directory without it holds no database.
    return new DataDirEngine.Contents(text, Files.exists(dataDir.resolve(StorageOptions.LEVELDB).resolve("CURRENT")),
        Files.exists(dataDir.resolve(StorageOptions.ROCKSDB).resolve("CURRENT")));
  }

  /** Written whole or not at all (a rename), so a crash never leaves half a name. */
  private static void writeMarker(Path dataDir, String engine) throws IOException {
    Path marker = dataDir.resolve(MARKER);
    if (Files.isRegularFile(marker) && engine.equals(Files.readString(marker, StandardCharsets.UTF_8).trim())) {
      return;
    }
    Path tmp = dataDir.resolve(MARKER + ".tmp");
    Files.writeString(tmp, engine + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
