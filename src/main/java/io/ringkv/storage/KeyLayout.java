package io.ringkv.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How ringkv lays out one node's LevelDB key space (DESIGN.md decision 2). The first byte is a
 * tag; it splits the space into three regions that never interleave, in this order:
 *
 * <pre>
 * metadata  [0x00][name: UTF-8 bytes]
 *           e.g. counter leases ("dot-counter"), the last agreed ring.
 *
 * data      [0x01][partition: 4 bytes, big-endian][user key: raw bytes, 0..n]
 *           offset 0      tag 0x01
 *           offset 1..4   partition number, unsigned big-endian (so numeric order = byte order)
 *           offset 5..    the user's key exactly as given (no escaping, no length: it runs to
 *                         the end of the LevelDB key)
 *
 * hints     [0x02][id length L: 1 byte][target node id: L bytes UTF-8][partition: 4 bytes BE][user key]
 *           offset 0          tag 0x02
 *           offset 1          L, 1..255
 *           offset 2..1+L     id of the node the hint is kept for
 *           offset 2+L..5+L   partition, big-endian
 *           offset 6+L..      user key
 * </pre>
 *
 * <p>Why this order: LevelDB sorts keys as unsigned bytes, so with the partition right after the
 * tag each partition is one contiguous range [{@link #partitionStart}, {@link #partitionEnd}):
 * handoff, Merkle rebuild and repair of a partition are range scans, never full scans. Within a
 * partition keys are in user-key byte order. The length byte before the node id makes one node's
 * hints a contiguous range too, even when one id is a prefix of another ("n1" vs "n10"), and the
 * partition after it lets hints be delivered partition by partition.
 *
 * <p>Partitions are non-negative ints. Values are opaque here (see the version codec).
 */
public final class KeyLayout {

  /** Tag of node metadata keys. */
  public static final byte META = 0x00;
  /** Tag of data records. */
  public static final byte DATA = 0x01;
  /** Tag of hints kept for other nodes. */
  public static final byte HINT = 0x02;

  private static final int PARTITION_BYTES = 4;
  private static final int MAX_NODE_ID_BYTES = 255;

  private KeyLayout() {}

  /** {@code [0x01][partition BE][userKey]}. */
  public static byte[] dataKey(int partition, byte[] userKey) {
    checkPartition(partition);
    return ByteBuffer.allocate(1 + PARTITION_BYTES + userKey.length)
        .put(DATA).putInt(partition).put(userKey).array();
  }

  public static boolean isDataKey(byte[] key) {
    return key.length >= 1 + PARTITION_BYTES && key[0] == DATA;
  }

  public static int partitionOf(byte[] dataKey) {
    checkTag(dataKey, DATA, 1 + PARTITION_BYTES);
    return ByteBuffer.wrap(dataKey, 1, PARTITION_BYTES).getInt();
  }

  public static byte[] userKeyOf(byte[] dataKey) {
    checkTag(dataKey, DATA, 1 + PARTITION_BYTES);
    return Arrays.copyOfRange(dataKey, 1 + PARTITION_BYTES, dataKey.length);
  }

  /** First key of the partition: {@code [0x01][partition BE]} (the empty user key). */
  public static byte[] partitionStart(int partition) {
    return dataKey(partition, new byte[0]);
  }

  /** Exclusive end of the partition: the start of the next one (Integer.MAX_VALUE + 1 still fits, unsigned). */
  public static byte[] partitionEnd(int partition) {
    checkPartition(partition);
    return ByteBuffer.allocate(1 + PARTITION_BYTES).put(DATA).putInt(partition + 1).array();
  }

  /** [dataStart(), dataEnd()) covers every data record of every partition. */
  public static byte[] dataStart() {
    return new byte[] {DATA};
  }

  public static byte[] dataEnd() {
    return new byte[] {HINT};
  }

  /** {@code [0x00][name UTF-8]}. */
  public static byte[] metaKey(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + utf8.length).put(META).put(utf8).array();
  }

  /** {@code [0x02][len][targetNode UTF-8][partition BE][userKey]}. */
  public static byte[] hintKey(String targetNode, int partition, byte[] userKey) {
    checkPartition(partition);
    byte[] prefix = hintPrefix(targetNode);
    return ByteBuffer.allocate(prefix.length + PARTITION_BYTES + userKey.length)
        .put(prefix).putInt(partition).put(userKey).array();
  }

  /** {@code [0x02][len][targetNode UTF-8]}: every hint for that node starts with it. */
  public static byte[] hintPrefix(String targetNode) {
    byte[] id = targetNode.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > MAX_NODE_ID_BYTES) {
      throw new IllegalArgumentException("node id must be 1..255 UTF-8 bytes: '" + targetNode + "'");
    }
    return ByteBuffer.allocate(2 + id.length).put(HINT).put((byte) id.length).put(id).array();
  }

  /** Exclusive end of the hints for {@code targetNode}: the smallest key above every key with its prefix. */
  public static byte[] hintPrefixEnd(String targetNode) {
    return prefixEnd(hintPrefix(targetNode));
  }

  public static boolean isHintKey(byte[] key) {
    return key.length >= 2 && key[0] == HINT && key.length >= 2 + (key[1] & 0xff) + PARTITION_BYTES;
  }

  public static String hintTargetOf(byte[] hintKey) {
    int len = checkHint(hintKey);
    return new String(hintKey, 2, len, StandardCharsets.UTF_8);
  }

  public static int hintPartitionOf(byte[] hintKey) {
    int len = checkHint(hintKey);
    return ByteBuffer.wrap(hintKey, 2 + len, PARTITION_BYTES).getInt();
  }

  public static byte[] hintUserKeyOf(byte[] hintKey) {
    int len = checkHint(hintKey);
    return Arrays.copyOfRange(hintKey, 2 + len + PARTITION_BYTES, hintKey.length);
  }

  /** Smallest key greater than every key starting with {@code prefix}; null if there is none (all 0xff). */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  private static int checkHint(byte[] key) {
    if (!isHintKey(key)) {
      throw new IllegalArgumentException("not a hint key: " + Arrays.toString(key));
    }
    return key[1] & 0xff;
  }

  private static void checkTag(byte[] key, byte tag, int minLength) {
    if (key.length < minLength || key[0] != tag) {
      throw new IllegalArgumentException("not a key with tag " + tag + ": " + Arrays.toString(key));
    }
  }

  private static void checkPartition(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, got " + partition);
    }
  }
}
