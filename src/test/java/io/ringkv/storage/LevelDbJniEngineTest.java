package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LevelDbJniEngineTest extends PersistentEngineContractTest {

  @Override
  protected LevelDbEngine open(Path dir) throws IOException {
    return LevelDbEngine.open(dir, LevelDbSettings.defaults());
  }

  @Test
  void usesNativeLevelDbOnThisPlatform() {
    // x86_64 Linux is covered by leveldbjni-all; a silent fallback here would hide a packaging bug.
    assertEquals("leveldb-jni", engine.name());
  }
}
