package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link StorageEngine} must have; one subclass per engine. */
abstract class StorageEngineContractTest {

  protected StorageEngine engine;

  protected abstract StorageEngine open() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    engine = open();
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  static byte[] b(int... unsigned) {
    byte[] out = new byte[unsigned.length];
    for (int i = 0; i < unsigned.length; i++) {
      out[i] = (byte) unsigned[i];
    }
    return out;
  }

  protected void put(String k, String v) {
    engine.write(List.of(Mutation.put(b(k), b(v))), false);
  }

  protected List<String> scanKeys(byte[] from, byte[] to) {
    List<String> keys = new ArrayList<>();
    engine.scan(from, to, (k, v) -> keys.add(new String(k, UTF_8)));
    return keys;
  }

  @Test
  void getPutDelete() {
    assertNull(engine.get(b("a")));
    put("a", "1");
    assertArrayEquals(b("1"), engine.get(b("a")));
    put("a", "2");
    assertArrayEquals(b("2"), engine.get(b("a")));
    engine.write(List.of(Mutation.delete(b("a"))), true);
    assertNull(engine.get(b("a")));
  }

  @Test
  void batchAppliesInOrder() {
    engine.write(List.of(
        Mutation.put(b("x"), b("1")), Mutation.delete(b("x")),
        Mutation.delete(b("y")), Mutation.put(b("y"), b("2")),
        Mutation.put(b("z"), b("3")), Mutation.put(b("z"), b("4"))), true);
    assertNull(engine.get(b("x")));
    assertArrayEquals(b("2"), engine.get(b("y")));
    assertArrayEquals(b("4"), engine.get(b("z")));
  }

  @Test
  void batchIsAtomicForScans() throws Exception {
    // A writer sets a and b to the same value in one batch, again and again; a concurrent scan must
    // never see them differ. Bounded: every overwrite leaves a version that LevelDB scans skip.
    put("a", "-1");
    put("b", "-1");
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 5000; i++) {
        byte[] v = b(Integer.toString(i));
        engine.write(List.of(Mutation.put(b("a"), v), Mutation.put(b("b"), v)), false);
      }
    });
    writer.start();
    int scans = 0;
    while (writer.isAlive() && scans++ < 500) {
      List<String> values = new ArrayList<>();
      engine.scan(b("a"), b("c"), (k, v) -> values.add(new String(v, UTF_8)));
      assertEquals(2, values.size());
      assertEquals(values.get(0), values.get(1), "scan saw half a batch");
    }
    writer.join(60_000);
    assertFalse(writer.isAlive());
    assertArrayEquals(b("4999"), engine.get(b("b")));
  }

  @Test
  void scanUsesUnsignedByteOrder() {
    byte[][] keys = {b(0x80), b(0x7f), b(0xff), b(0x00), b(0x7f, 0x00), b(0x80, 0x00), b(0x01)};
    for (byte[] k : keys) {
      engine.write(List.of(Mutation.put(k, k)), false);
    }
    List<byte[]> seen = new ArrayList<>();
    engine.scan(b(0x00), b(0xff, 0xff), (k, v) -> {
      assertArrayEquals(k, v);
      return seen.add(k);
    });
    byte[][] expected = {b(0x00), b(0x01), b(0x7f), b(0x7f, 0x00), b(0x80), b(0x80, 0x00), b(0xff)};
    assertEquals(expected.length, seen.size());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], seen.get(i), "position " + i);
    }
  }

  @Test
  void scanBoundsAreInclusiveExclusive() {
    for (String k : List.of("a", "b", "ba", "c", "d")) {
      put(k, k);
    }
    assertEquals(List.of("b", "ba", "c"), scanKeys(b("b"), b("d")));
    assertEquals(List.of("ba", "c"), scanKeys(b("b\0"), b("c\0")));
    assertEquals(List.of(), scanKeys(b("c"), b("c")));
    assertEquals(List.of(), scanKeys(b("d"), b("a")));
    assertEquals(List.of(), scanKeys(b("e"), b("z")));
  }

  @Test
  void scanStopsWhenVisitorReturnsFalse() {
    for (String k : List.of("a", "b", "c", "d")) {
      put(k, k);
    }
    AtomicInteger visits = new AtomicInteger();
    engine.scan(b("a"), b("z"), (k, v) -> visits.incrementAndGet() < 2);
    assertEquals(2, visits.get());
  }

  @Test
  void scanVisitorMayWrite() {
    put("a", "1");
    put("b", "2");
    engine.scan(b("a"), b("c"), (k, v) -> {
      engine.write(List.of(Mutation.delete(k)), false);
      return true;
    });
    assertEquals(List.of(), scanKeys(b("a"), b("c")));
  }

  @Test
  void partitionRangesSeparateData() {
    for (int p : new int[] {0, 1, 255, 256, 70_000}) {
      for (String k : List.of("", "k", "\u00ff")) {
        engine.write(List.of(Mutation.put(KeyLayout.dataKey(p, b(k)), b(p + "/" + k))), false);
      }
    }
    engine.write(List.of(Mutation.put(KeyLayout.hintKey("n1", 1, b("k")), b("hint"))), false);
    for (int p : new int[] {0, 1, 255, 256, 70_000}) {
      List<String> values = new ArrayList<>();
      engine.scan(KeyLayout.partitionStart(p), KeyLayout.partitionEnd(p), (k, v) -> {
        assertEquals(p, KeyLayout.partitionOf(k));
        return values.add(new String(v, UTF_8));
      });
      assertEquals(List.of(p + "/", p + "/k", p + "/\u00ff"), values);
    }
  }

  @Test
  void emptyValueIsNotAbsence() {
    engine.write(List.of(Mutation.put(b("e"), new byte[0])), true);
    byte[] v = engine.get(b("e"));
    assertNotNull(v);
    assertEquals(0, v.length);
    assertEquals(List.of("e"), scanKeys(b("a"), b("z")));
  }

  @Test
  void largeValueRoundTrips() {
    byte[] big = new byte[1 << 20];
    new Random(42).nextBytes(big);
    engine.write(List.of(Mutation.put(b("big"), big)), true);
    assertArrayEquals(big, engine.get(b("big")));
  }

  @Test
  void closedEngineRejectsCalls() {
    engine.close();
    assertThrows(IllegalStateException.class, () -> engine.get(b("a")));
    assertThrows(IllegalStateException.class, () -> put("a", "1"));
    assertThrows(IllegalStateException.class, () -> scanKeys(b("a"), b("z")));
    assertEquals(EngineStats.NONE, engine.stats(), "a closed engine reports nothing");
    engine.close(); // idempotent
  }
}
