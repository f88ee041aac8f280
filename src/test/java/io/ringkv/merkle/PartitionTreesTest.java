package io.ringkv.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringkv.version.Dot;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.SiblingSetCodec;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Trees built by a paged scan while writes go on end exactly where a tree built over the final
 * contents with no writes at all ends: checked against that model over random interleavings of
 * announced changes, their commits and failed writes, and scan pages on fresh snapshots.
 */
class PartitionTreesTest {
  private static final TreeShape SHAPE = new TreeShape(4, 2);
  private static final byte[] PREFIX = {1, 0, 0, 0, 0}; // the data key's tag and partition, before the user key
  private static final List<byte[]> RECORDS = records();

  private static List<byte[]> records() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      Version v = i % 3 == 0 ? Version.tombstone(new Dot("n1", i), VersionVector.empty(), 100 + i)
          : new Version(new Dot("n" + i, i), VersionVector.empty(), 100 + i, false, "t", ("v" + i).getBytes());
      out.add(SiblingSetCodec.encode(SiblingSet.of(List.of(v))));
    }
    out.add(SiblingSetCodec.encode(SiblingSet.empty())); // a record without versions counts as absent
    return out;
  }

  private static byte[] dataKey(String key) {
    byte[] user = key.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[PREFIX.length + user.length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(user, 0, out, PREFIX.length, user.length);
    return out;
  }

  /** The model: a tree built over {@code contents} with nothing else going on. */
  private static PartitionTrees quietBuild(Map<String, byte[]> contents) {
    PartitionTrees trees = new PartitionTrees(SHAPE, 1);
    PartitionTrees.Build build = trees.startBuild(0);
    contents.forEach((k, v) -> build.visit(k.getBytes(StandardCharsets.US_ASCII), v));
    build.finish();
    return trees;
  }

  /** One simulated run; returns the trees and the committed contents at the end. */
  private static Object[] run(long seed) {
    Random random = new Random(seed);
    TreeMap<String, byte[]> committed = new TreeMap<>();
    PartitionTrees trees = new PartitionTrees(SHAPE, 1);
    List<Object[]> inFlight = new ArrayList<>(); // {key, before, after}: announced, not yet written
    PartitionTrees.Build build = null;
    boolean barrierPassed = false;
    String cursor = null;
    boolean scanDone = false;
    int keys = 5 + random.nextInt(40);
    for (int step = 0; step < 400; step++) {
      int action = random.nextInt(10);
      if (action < 3 && inFlight.isEmpty()) {
        // The writer applies a batch and announces its changes before writing it.
        for (int i = random.nextInt(3); i >= 0; i--) {
          String key = "k" + random.nextInt(keys);
          if (inFlight.stream().anyMatch(c -> c[0].equals(key))) {
            continue;
          }
          byte[] before = committed.get(key);
          byte[] after = random.nextInt(6) == 0 ? null : RECORDS.get(random.nextInt(RECORDS.size()));
          trees.changing(0, dataKey(key), PREFIX.length, before, after);
          inFlight.add(new Object[] {key, before, after});
        }
      } else if (action < 6 && !inFlight.isEmpty()) {
        boolean fails = random.nextInt(5) == 0;
        for (Object[] c : inFlight) {
          if (fails) {
            trees.changing(0, dataKey((String) c[0]), PREFIX.length, (byte[]) c[2], (byte[]) c[1]);
          } else if (c[2] == null) {
            committed.remove((String) c[0]);
          } else {
            committed.put((String) c[0], (byte[]) c[2]);
          }
        }
        inFlight.clear();
        barrierPassed = build != null;
      } else if (action < 7 && build == null && step > 20) {
        build = trees.startBuild(0);
        barrierPassed = inFlight.isEmpty(); // else the barrier waits for the batch in flight
      } else if (build != null && barrierPassed && !scanDone) {
        // A page: a fresh snapshot, the next few keys after the cursor.
        TreeMap<String, byte[]> snapshot = new TreeMap<>(committed);
        Map<String, byte[]> page = cursor == null ? snapshot : snapshot.tailMap(cursor, false);
        int max = 1 + random.nextInt(4);
        int visited = 0;
        for (Map.Entry<String, byte[]> e : page.entrySet()) {
          if (visited == max) {
            break;
          }
          build.visit(e.getKey().getBytes(StandardCharsets.US_ASCII), e.getValue());
          cursor = e.getKey();
          visited++;
        }
        if (visited < max || snapshot.higherKey(cursor) == null) {
          build.finish();
          scanDone = true;
        }
      }
    }
    if (build != null && !scanDone) {
      // let the scan finish quietly
      inFlight.forEach(c -> committed.compute((String) c[0], (k, v) -> (byte[]) c[2]));
      inFlight.clear();
      TreeMap<String, byte[]> snapshot = new TreeMap<>(committed);
      for (Map.Entry<String, byte[]> e : (cursor == null ? snapshot : snapshot.tailMap(cursor, false)).entrySet()) {
        build.visit(e.getKey().getBytes(StandardCharsets.US_ASCII), e.getValue());
      }
      build.finish();
    }
    inFlight.forEach(c -> committed.compute((String) c[0], (k, v) -> (byte[]) c[2]));
    return new Object[] {trees, committed, build != null};
  }

  @Test
  void aTreeBuiltDuringWritesEqualsOneBuiltQuietly() {
    int built = 0;
    for (long seed = 0; seed < 3_000; seed++) {
      Object[] result = run(seed);
      PartitionTrees trees = (PartitionTrees) result[0];
      @SuppressWarnings("unchecked")
      Map<String, byte[]> committed = (Map<String, byte[]>) result[1];
      if (!(Boolean) result[2]) {
        continue;
      }
      built++;
      PartitionTrees model = quietBuild(committed);
      assertEquals(model.root(0), trees.root(0), "root, seed " + seed);
      assertEquals(model.keys(0), trees.keys(0), "keys, seed " + seed);
      assertEquals(model.tombstoneKeys(0), trees.tombstoneKeys(0), "tombstone keys, seed " + seed);
    }
    assertTrue(built > 2_000, "most runs built a tree: " + built);
  }

  @Test
  void deltasKeepTheTreeEqualToAQuietBuild() {
    Random random = new Random(3);
    PartitionTrees trees = quietBuild(Map.of());
    TreeMap<String, byte[]> contents = new TreeMap<>();
    for (int i = 0; i < 5_000; i++) {
      String key = "key-" + random.nextInt(200);
      byte[] after = random.nextInt(5) == 0 ? null : RECORDS.get(random.nextInt(RECORDS.size()));
      trees.changing(0, dataKey(key), PREFIX.length, contents.get(key), after);
      if (after == null) {
        contents.remove(key);
      } else {
        contents.put(key, after);
      }
      if (i % 500 == 0) {
        assertEquals(quietBuild(contents).root(0), trees.root(0), "after " + i + " changes");
      }
    }
    PartitionTrees model = quietBuild(contents);
    assertEquals(model.root(0), trees.root(0));
    assertEquals(model.tombstoneKeys(0), trees.tombstoneKeys(0));
    assertTrue(trees.tombstoneKeys(0) > 0);
  }

  @Test
  void statesRebuildsAndDrops() {
    PartitionTrees trees = new PartitionTrees(SHAPE, 3);
    assertEquals(PartitionTrees.State.NONE, trees.state(1));
    assertNull(trees.root(1));
    trees.changing(1, dataKey("a"), PREFIX.length, null, RECORDS.get(0)); // no tree: ignored
    PartitionTrees.Build first = trees.startBuild(1);
    assertEquals(PartitionTrees.State.BUILDING, trees.state(1));
    assertNull(trees.root(1), "no root while building");
    assertNull(trees.hashes(1, 1, new int[] {0}));
    PartitionTrees.Build second = trees.startBuild(1);
    assertFalse(first.current());
    assertFalse(first.visit("a".getBytes(), RECORDS.get(0)), "a replaced build is stale");
    assertTrue(second.visit("a".getBytes(), RECORDS.get(0)));
    second.finish();
    assertEquals(PartitionTrees.State.READY, trees.state(1));
    assertEquals(1, trees.keys(1));
    long withA = trees.root(1);
    trees.changing(1, dataKey("a"), PREFIX.length, RECORDS.get(0), null);
    assertNotEquals(withA, trees.root(1));
    assertEquals(quietBuild(Map.of()).root(0), trees.root(1), "an emptied tree equals an empty one");
    assertEquals(1, trees.count(PartitionTrees.State.READY));
    assertEquals(SHAPE.bytesPerTree(), trees.memoryBytes());
    trees.drop(1);
    assertEquals(PartitionTrees.State.NONE, trees.state(1));
    assertEquals(0, trees.memoryBytes());
  }
}
