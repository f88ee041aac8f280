package io.ringkv.storage;

import java.io.IOException;
import java.nio.file.Path;

/** The pure-Java fallback must honour the same contract. */
class LevelDbJavaEngineTest extends PersistentEngineContractTest {

  @Override
  protected LevelDbEngine open(Path dir) throws IOException {
    return LevelDbEngine.openJava(dir, LevelDbSettings.defaults());
  }

  /** The Java port has no {@code leveldb.stats} table and cannot compact on demand. */
  @Override
  protected boolean reportsTables() {
    return false;
  }
}
