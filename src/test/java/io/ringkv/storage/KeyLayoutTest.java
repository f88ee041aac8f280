package io.ringkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {

  static boolean within(byte[] key, byte[] from, byte[] to) {
    return Arrays.compareUnsigned(from, key) <= 0 && Arrays.compareUnsigned(key, to) < 0;
  }

  @Test
  void dataKeyIsByteForByteAsDocumented() {
    byte[] key = KeyLayout.dataKey(0x01020304, new byte[] {(byte) 0xaa, 0x00});
    assertArrayEquals(new byte[] {0x01, 0x01, 0x02, 0x03, 0x04, (byte) 0xaa, 0x00}, key);
    assertEquals(0x01020304, KeyLayout.partitionOf(key));
    assertArrayEquals(new byte[] {(byte) 0xaa, 0x00}, KeyLayout.userKeyOf(key));
    assertArrayEquals(new byte[0], KeyLayout.userKeyOf(KeyLayout.dataKey(7, new byte[0])));
  }

  @Test
  void partitionRangeCoversExactlyItsPartition() {
    for (int p : new int[] {0, 1, 255, 256, 65_535, Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
      byte[] from = KeyLayout.partitionStart(p);
      byte[] to = KeyLayout.partitionEnd(p);
      byte[] ff = new byte[64];
      Arrays.fill(ff, (byte) 0xff);
      assertTrue(within(KeyLayout.dataKey(p, new byte[0]), from, to), "p=" + p);
      assertTrue(within(KeyLayout.dataKey(p, ff), from, to), "p=" + p);
      if (p > 0) {
        assertTrue(!within(KeyLayout.dataKey(p - 1, ff), from, to), "p-1 leaks into " + p);
      }
      if (p < Integer.MAX_VALUE) {
        assertTrue(!within(KeyLayout.dataKey(p + 1, new byte[0]), from, to), "p+1 leaks into " + p);
      }
      assertTrue(within(from, KeyLayout.dataStart(), KeyLayout.dataEnd()));
      assertTrue(Arrays.compareUnsigned(to, KeyLayout.dataEnd()) <= 0);
    }
  }

  @Test
  void regionsDoNotInterleave() {
    byte[] meta = KeyLayout.metaKey("\uffff-very-high-name");
    byte[] data = KeyLayout.dataKey(0, new byte[0]);
    byte[] lastData = KeyLayout.dataKey(Integer.MAX_VALUE, new byte[] {(byte) 0xff});
    byte[] hint = KeyLayout.hintKey("a", 0, new byte[0]);
    assertTrue(Arrays.compareUnsigned(meta, data) < 0);
    assertTrue(Arrays.compareUnsigned(lastData, hint) < 0);
    assertArrayEquals(new byte[] {0x00, 'c', 't', 'r'}, KeyLayout.metaKey("ctr"));
  }

  @Test
  void hintKeyIsByteForByteAsDocumented() {
    byte[] key = KeyLayout.hintKey("n1", 5, "k".getBytes(UTF_8));
    assertArrayEquals(new byte[] {0x02, 2, 'n', '1', 0, 0, 0, 5, 'k'}, key);
    assertEquals("n1", KeyLayout.hintTargetOf(key));
    assertEquals(5, KeyLayout.hintPartitionOf(key));
    assertArrayEquals("k".getBytes(UTF_8), KeyLayout.hintUserKeyOf(key));
  }

  @Test
  void hintRangeOfANodeExcludesNodesWithLongerIds() {
    byte[] from = KeyLayout.hintPrefix("n1");
    byte[] to = KeyLayout.hintPrefixEnd("n1");
    assertTrue(within(KeyLayout.hintKey("n1", 0, new byte[0]), from, to));
    assertTrue(within(KeyLayout.hintKey("n1", Integer.MAX_VALUE, new byte[] {(byte) 0xff}), from, to));
    assertTrue(!within(KeyLayout.hintKey("n10", 0, new byte[0]), from, to));
    assertTrue(!within(KeyLayout.hintKey("n", 0, "1".getBytes(UTF_8)), from, to));
    assertTrue(!within(KeyLayout.hintKey("n2", 0, new byte[0]), from, to));
  }

  @Test
  void prefixEndCarriesOverTrailingFf() {
    assertArrayEquals(new byte[] {1, 3}, KeyLayout.prefixEnd(new byte[] {1, 2, (byte) 0xff, (byte) 0xff}));
    assertNull(KeyLayout.prefixEnd(new byte[] {(byte) 0xff}));
  }

  @Test
  void rejectsInvalidInput() {
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.dataKey(-1, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.hintPrefix(""));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.hintPrefix("x".repeat(256)));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.partitionOf(KeyLayout.metaKey("abcdef")));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.hintTargetOf(new byte[] {0x02, 9, 'n'}));
  }
}
