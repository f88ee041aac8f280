package io.ringkv.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The whole writer contract again, with the writer reading through and updating a row cache. */
class GroupCommitWriterRowCacheTest extends GroupCommitWriterContractTest {

  @TempDir
  Path dir;

  @Override
  protected StorageEngine openEngine() throws Exception {
    return LevelDbEngine.open(dir, LevelDbSettings.defaults());
  }

  @Override
  protected boolean sync() {
    return false;
  }

  @Override
  protected RowCache rowCache() {
    return RowCache.ofBytes(8 << 20);
  }
}
