package io.ringkv.storage;

import java.io.IOException;
import java.nio.file.Path;

/** The pure-Java fallback must honour the same contract. */
class LevelDbJavaEngineTest extends LevelDbEngineContractTest {

  @Override
  protected LevelDbEngine open(Path dir) throws IOException {
    return LevelDbEngine.openJava(dir, LevelDbSettings.defaults());
  }
}
