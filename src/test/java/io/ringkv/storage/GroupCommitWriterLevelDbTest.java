package io.ringkv.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Synced LevelDB: the case group commit exists for. */
class GroupCommitWriterLevelDbTest extends GroupCommitWriterContractTest {

  @TempDir
  Path dir;

  @Override
  protected StorageEngine openEngine() throws Exception {
    return LevelDbEngine.open(dir, LevelDbSettings.defaults());
  }

  @Override
  protected boolean sync() {
    return true;
  }
}
