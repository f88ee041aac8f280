package io.ringkv.storage;

import io.ringkv.config.ConfigException;
import java.nio.file.Path;

/**
 * Which engine's data a node's data dir holds, decided from what is in it: the {@code ENGINE}
 * marker file when there is one; else a {@code leveldb/} or {@code rocksdb/} database (a data dir
 * from before the marker existed holds LevelDB's); else none yet. Pure: the caller looks at the
 * files ({@link StorageEngines}).
 */
final class DataDirEngine {

  /** What a data dir contains: the marker's text ({@code null} when absent) and which databases exist. */
  record Contents(String marker, boolean levelDbData, boolean rocksDbData) {}

  private DataDirEngine() {}

  /**
   * The engine whose data {@code dir} holds, or {@code null} for a dir without data.
   *
   * @throws ConfigException when the marker names no engine, or there is data of both without a marker
   */
  static String existing(Path dir, Contents contents) {
    if (contents.marker() != null) {
      String named = contents.marker().trim();
      if (!StorageOptions.LEVELDB.equals(named) && !StorageOptions.ROCKSDB.equals(named)) {
        throw new ConfigException("data dir " + dir + " has an " + StorageEngines.MARKER + " file naming '"
            + named + "', not leveldb or rocksdb");
      }
      return named;
    }
    if (contents.levelDbData() && contents.rocksDbData()) {
      throw new ConfigException("data dir " + dir + " holds both leveldb and rocksdb data and no "
          + StorageEngines.MARKER + " file saying which one is the node's");
    }
    return contents.levelDbData() ? StorageOptions.LEVELDB : contents.rocksDbData() ? StorageOptions.ROCKSDB : null;
  }

  /**
   * The engine to open {@code dir} with when the node is configured with {@code configured}.
   *
   * @throws ConfigException (one line) when the dir holds another engine's data
   */
  static String choose(Path dir, Contents contents, String configured) {
    String existing = existing(dir, contents);
    if (existing != null && !existing.equals(configured)) {
      throw new ConfigException("data dir " + dir + " holds " + existing + " data but the node is configured with engine "
          + configured + ": start it with --engine " + existing + ", or give it an empty data dir");
    }
    return configured;
  }
}
