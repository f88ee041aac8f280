package io.ringkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.messaging.TooManySiblingsException;
import io.ringkv.version.ConflictMode;
import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The coordinating replica refuses a write that would leave too many siblings, before anything is
 * written; merges from other replicas are never refused; warnings come once per key per minute of
 * the writes' own clock.
 */
class ReplicaStoreSiblingLimitTest {
  static final int PARTITION = 7;
  static final long MINUTE = SiblingLimits.WARN_INTERVAL_MS;

  @Test
  void aBlindWriteBeyondTheMaximumIsRefusedAndNothingIsWritten() throws Exception {
    try (ReplicaStore store = store(ConflictMode.SIBLINGS, 3, 5)) {
      for (int i = 1; i <= 5; i++) {
        assertEquals(i, write(store, "k", null, "v" + i, 1_000).siblings().size());
      }
      long batchesBefore = store.writer().batchesWritten();
      TooManySiblingsException refused = refusal(store.write(PARTITION, bytes("k"), null, false, "text/plain",
          bytes("v6"), 1_000));
      assertEquals(5, refused.limit());
      assertEquals(6, refused.siblings());
      SiblingSet stored = store.read(PARTITION, bytes("k"));
      assertEquals(5, stored.size());
      assertFalse(values(stored).contains("v6"), "the refused value is not stored: " + values(stored));
      assertEquals(batchesBefore, store.writer().batchesWritten(), "the refused update wrote nothing");
      assertEquals(1, store.siblingLimits().refusals());
      // The client's way out: write with the context of a read.
      ReplicaStore.Written merged = write(store, "k", stored.context(), "merged", 1_000);
      assertEquals(List.of("merged"), values(merged.siblings()));
      assertEquals(List.of("merged"), values(store.read(PARTITION, bytes("k"))));
    }
  }

  @Test
  void theSyncedSplitWriteIsRefusedBeforeItsResultIsAnnounced() throws Exception {
    try (ReplicaStore store = new ReplicaStore("n1", new MemoryEngine(), RowCache.ofBytes(1 << 20), true,
        ConflictMode.SIBLINGS, new SiblingLimits(1, 2))) {
      write(store, "k", null, "a", 0);
      write(store, "k", null, "b", 0);
      CompletableFuture<ReplicaStore.Written> applied = new CompletableFuture<>();
      CompletableFuture<ReplicaStore.Written> durable = store.write(PARTITION, bytes("k"), null, false, "text/plain",
          bytes("c"), 0, applied);
      assertEquals(3, refusal(applied).siblings(), "nothing to replicate");
      assertEquals(3, refusal(durable).siblings());
      assertEquals(List.of("a", "b"), values(store.read(PARTITION, bytes("k"))).stream().sorted().toList());
    }
  }

  @Test
  void mergesFromOtherReplicasAreNeverRefused() throws Exception {
    try (ReplicaStore store = store(ConflictMode.SIBLINGS, 2, 3)) {
      write(store, "k", null, "local", 0);
      List<Version> theirs = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        theirs.add(new Version(new Dot("n9", i), VersionVector.empty(), i, false, "text/plain", bytes("remote" + i)));
      }
      SiblingSet merged = store.merge(PARTITION, bytes("k"), SiblingSet.of(theirs)).get(10, TimeUnit.SECONDS);
      assertEquals(6, merged.size(), "a replica keeps what another replica already stored");
      assertEquals(6, store.read(PARTITION, bytes("k")).size());
      assertEquals(0, store.siblingLimits().refusals());
      // A coordinated write on top of it is refused, one with the read's context replaces them all.
      refusal(store.write(PARTITION, bytes("k"), null, false, "text/plain", bytes("x"), 0));
      SiblingSet read = store.read(PARTITION, bytes("k"));
      assertEquals(1, write(store, "k", read.context(), "resolved", 0).siblings().size());
    }
  }

  @Test
  void theWarningCountsOncePerKeyPerMinuteOfTheWritesClock() throws Exception {
    try (ReplicaStore store = store(ConflictMode.SIBLINGS, 2, 100)) {
      long t0 = 1_700_000_000_000L;
      write(store, "a", null, "1", t0);
      write(store, "a", null, "2", t0);
      assertEquals(0, store.siblingLimits().warnings(), "2 siblings is not above 2");
      write(store, "a", null, "3", t0 + 1);
      assertEquals(1, store.siblingLimits().warnings());
      for (int i = 0; i < 20; i++) {
        write(store, "a", null, "more" + i, t0 + 2 + i * 1_000);
      }
      assertEquals(1, store.siblingLimits().warnings(), "once within the minute");
      write(store, "b", null, "1", t0 + 5);
      write(store, "b", null, "2", t0 + 5);
      write(store, "b", null, "3", t0 + 5);
      assertEquals(2, store.siblingLimits().warnings(), "another key warns on its own");
      write(store, "a", null, "next-minute", t0 + 1 + MINUTE);
      assertEquals(3, store.siblingLimits().warnings(), "a minute later the key warns again");
      write(store, "a", null, "again", t0 + 2 + MINUTE);
      assertEquals(3, store.siblingLimits().warnings());
    }
  }

  @Test
  void lastWriteWinsNeverReachesTheLimits() throws Exception {
    try (ReplicaStore store = store(ConflictMode.LWW, 1, 1)) {
      for (int i = 0; i < 10; i++) {
        assertEquals(1, write(store, "k", null, "v" + i, 1_000 + i).siblings().size());
      }
      assertEquals(List.of("v9"), values(store.read(PARTITION, bytes("k"))));
      assertEquals(0, store.siblingLimits().refusals());
      assertEquals(0, store.siblingLimits().warnings());
    }
  }

  private static ReplicaStore store(ConflictMode mode, int warn, int max) {
    return new ReplicaStore("n1", new MemoryEngine(), RowCache.disabled(), false, mode, new SiblingLimits(warn, max));
  }

  private static ReplicaStore.Written write(ReplicaStore store, String key, VersionVector context, String value,
      long timestampMs) throws Exception {
    return store.write(PARTITION, bytes(key), context, false, "text/plain", bytes(value), timestampMs)
        .get(10, TimeUnit.SECONDS);
  }

  private static TooManySiblingsException refusal(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      TooManySiblingsException refused = TooManySiblingsException.in(e.getCause());
      assertNotNull(refused, "refused with " + e.getCause());
      assertTrue(refused.getMessage().contains("X-Context"), refused.getMessage());
      return refused;
    }
    throw new AssertionError("the write was not refused");
  }

  private static List<String> values(SiblingSet set) {
    return set.versions().stream().map(v -> new String(v.value(), StandardCharsets.UTF_8)).toList();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
