package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.version.ConflictMode;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's actor name survives clean restarts and changes after anything that may lose a dot. */
class ActorIncarnationTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

  @Test
  void cleanShutdownsKeepTheNameAndUncleanOnesTakeANewOne() {
    MemoryEngine engine = new MemoryEngine();
    ActorIncarnation first = new ActorIncarnation(engine, "n1");
    assertEquals("n1", first.actor());
    assertTrue(first.previousShutdownClean(), "a new store has no unclean past");
    first.markClean();
    ActorIncarnation second = new ActorIncarnation(engine, "n1");
    assertEquals("n1", second.actor());
    assertTrue(second.previousShutdownClean());
    // No markClean: the process died.
    ActorIncarnation third = new ActorIncarnation(engine, "n1");
    assertEquals("n1~1", third.actor());
    assertFalse(third.previousShutdownClean());
    assertEquals("n1~2", third.renew());
    ActorIncarnation fourth = new ActorIncarnation(engine, "n1");
    assertEquals("n1~3", fourth.actor(), "a renewed name is stored before it is used");
    fourth.markClean();
    assertEquals("n1~3", new ActorIncarnation(engine, "n1").actor());
  }

  @Test
  void aRenewalThatCannotBeStoredKeepsTheOldName() {
    ControllableEngine engine = new ControllableEngine(new MemoryEngine());
    ActorIncarnation actor = new ActorIncarnation(engine, "n1");
    engine.failNextWrites(1);
    assertThrows(IllegalStateException.class, actor::renew);
    assertEquals("n1", actor.actor());
    assertEquals("n1~1", actor.renew());
  }

  @Test
  void aFailedWriteMakesTheNextDotUnderANewActor() throws Exception {
    ControllableEngine engine = new ControllableEngine(new MemoryEngine());
    try (ReplicaStore store = new ReplicaStore("n1", engine, RowCache.disabled(), true, ConflictMode.SIBLINGS)) {
      assertEquals("n1", write(store, "a").version().dot().actor());
      engine.failNextWrites(1);
      assertThrows(ExecutionException.class, () -> write(store, "lost"));
      ReplicaStore.Written after = write(store, "b");
      assertEquals("n1~1", after.version().dot().actor());
      assertEquals("n1~1", store.actor());
      assertEquals(2, after.siblings().versions().size(), "'a' and 'b' are concurrent blind writes");
      assertEquals("n1~1", write(store, "c").version().dot().actor(), "one renewal per failure");
    }
  }

  @Test
  void aStoreThatWasNotClosedComesBackUnderANewActor(@TempDir Path dir) throws Exception {
    ReplicaStore store = open(dir);
    assertEquals("n1", write(store, "a").version().dot().actor());
    store.close();
    ReplicaStore reopened = open(dir);
    assertEquals("n1", reopened.actor(), "clean shutdown keeps the name");
    write(reopened, "b");
    // A crash: the engine goes away without the store's clean shutdown.
    reopened.writer().close();
    reopened.engine().close();
    try (ReplicaStore afterCrash = open(dir)) {
      assertFalse(afterCrash.previousShutdownClean());
      assertEquals("n1~1", write(afterCrash, "c").version().dot().actor());
      assertEquals(3, afterCrash.read(0, KEY).versions().size(), "nothing acknowledged was lost");
    }
  }

  /** A close after a failed write made no new dot is not clean: the lost dot may be out there. */
  @Test
  void aFailedWriteNotYetFollowedByANewActorMakesTheShutdownUnclean(@TempDir Path dir) throws Exception {
    ControllableEngine engine = new ControllableEngine(LevelDbEngine.open(dir, LevelDbSettings.defaults()));
    ReplicaStore store = new ReplicaStore("n1", engine, RowCache.disabled(), true, ConflictMode.SIBLINGS);
    write(store, "a");
    engine.failNextWrites(1);
    assertThrows(ExecutionException.class, () -> write(store, "lost"));
    store.close();
    try (ReplicaStore reopened = open(dir)) {
      assertFalse(reopened.previousShutdownClean());
      assertEquals("n1~1", write(reopened, "b").version().dot().actor());
    }
  }

  private static ReplicaStore open(Path dir) throws Exception {
    return new ReplicaStore("n1", LevelDbEngine.open(dir, LevelDbSettings.defaults()), RowCache.disabled(), true,
        ConflictMode.SIBLINGS);
  }

  private static ReplicaStore.Written write(ReplicaStore store, String value) throws Exception {
    return store.write(0, KEY, VersionVector.empty(), false, "text/plain", value.getBytes(StandardCharsets.UTF_8),
        System.currentTimeMillis()).get(10, TimeUnit.SECONDS);
  }
}
