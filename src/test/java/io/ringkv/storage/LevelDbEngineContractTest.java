package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contract tests plus what only a persistent engine has: data survives close and reopen. */
abstract class LevelDbEngineContractTest extends StorageEngineContractTest {

  @TempDir
  Path dir;

  protected abstract LevelDbEngine open(Path dir) throws IOException;

  @Override
  protected StorageEngine open() throws IOException {
    return open(dir);
  }

  @Test
  void reopenAfterCloseKeepsData() throws IOException {
    engine.write(List.of(Mutation.put(b("kept"), b("v")), Mutation.put(b("gone"), b("x"))), false);
    engine.write(List.of(Mutation.delete(b("gone"))), true);
    engine.close();
    engine = open(dir);
    assertArrayEquals(b("v"), engine.get(b("kept")));
    assertNull(engine.get(b("gone")));
  }

  @Test
  void secondOpenOfSameDirFails() {
    // LevelDB's LOCK file keeps two processes (or two engines) from sharing one directory.
    assertThrows(IOException.class, () -> open(dir).close());
  }
}
