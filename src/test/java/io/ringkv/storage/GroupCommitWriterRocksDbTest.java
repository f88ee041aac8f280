package io.ringkv.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Synced RocksDB: group commit over its write()+fdatasync log. */
class GroupCommitWriterRocksDbTest extends GroupCommitWriterContractTest {

  @TempDir
  Path dir;

  @Override
  protected StorageEngine openEngine() throws Exception {
    return RocksDbEngine.open(dir, RocksDbSettings.defaults());
  }

  @Override
  protected boolean sync() {
    return true;
  }
}
