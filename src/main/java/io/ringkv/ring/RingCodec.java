package io.ringkv.ring;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Compact binary forms of a {@link Ring} and of a member list, for gossip and for the copy kept
 * in the data dir. All integers are big-endian; every blob ends with a CRC32 so a torn or
 * bit-flipped file is rejected instead of decoding into a plausible but wrong ring.
 *
 * <pre>
 * Ring (format 1)
 *   4  magic "RKRG"
 *   1  format = 1
 *   4  Q (int32, 1..65536)
 *   8  ring version (int64, >= 1)
 *   2  K = number of distinct owners (uint16, 1..65535)
 *   K x { 2 length L (uint16), L bytes node id in UTF-8 }   ids sorted, distinct
 *   Q x owner, an index into the id table: 1 byte if K <= 256, else 2 bytes (uint16)
 *   4  CRC32 of every byte before it
 *
 * Members (format 1)
 *   4  magic "RKMB"
 *   1  format = 1
 *   4  M = number of members (int32, >= 0)
 *   M x { 2 length L (uint16), L bytes node id in UTF-8, 8 joinedAtMs (int64) }
 *   4  CRC32 of every byte before it
 * </pre>
 * A Q = 256 ring of 12 nodes with 20-byte ids is about 550 bytes.
 *
 * <pre>
 * RingState (format 1): the agreed ring with membership and the running change
 *   4  magic "RKRS"
 *   1  format = 1
 *   4  Q (int32)
 *   8  version (int64, >= 1)
 *   2  K = number of members (uint16, >= 1)
 *   K x { 2 length L, L bytes node id in UTF-8, 1 membership (0 joining, 1 member, 2 leaving, 3 left) }   ids sorted
 *   Q x owner, an index into the member table: 1 byte if K <= 256, else 2 bytes
 *   1  1 if a change is running, else 0
 *   Q x future owner (same form), only if a change is running
 *   4  CRC32 of every byte before it
 * </pre>
 * A state with replicas per DC is format 2: the same, with after the future owners
 * {@code 2 length L, L bytes of the replication text (dc1:3,dc2:3)} and, for each member in
 * table order, {@code 2 length L, L bytes of its DC}. One-ring states stay format 1, byte for byte.
 */
public final class RingCodec {

  private static final int RING_MAGIC = 0x524B5247; // "RKRG"
  private static final int MEMBERS_MAGIC = 0x524B4D42; // "RKMB"
  private static final int STATE_MAGIC = 0x524B5253; // "RKRS"
  private static final byte FORMAT = 1;
  private static final byte FORMAT_DCS = 2;
  private static final int HEADER = 5; // magic + format
  private static final int CRC = 4;
  private static final int MAX_ID_BYTES = 0xFFFF;

  private RingCodec() {}

  public static byte[] encode(Ring ring) {
    List<String> ids = ring.nodes();
    byte[][] idBytes = utf8All(checkCount(ids));
    boolean wide = ids.size() > 256;
    int size = HEADER + 4 + 8 + 2 + lengthOf(idBytes) + ring.partitions() * (wide ? 2 : 1) + CRC;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(RING_MAGIC).put(FORMAT).putInt(ring.partitions()).putLong(ring.version());
    out.putShort((short) ids.size());
    for (byte[] id : idBytes) {
      out.putShort((short) id.length).put(id);
    }
    putOwners(out, ring.ownersArray(), indexOf(ids), wide);
    return withCrc(out);
  }

  public static Ring decode(byte[] bytes) {
    ByteBuffer in = open(bytes, RING_MAGIC);
    try {
      int partitions = in.getInt();
      Ring.checkPartitions(partitions);
      long version = in.getLong();
      String[] ids = readIdTable(in);
      boolean wide = ids.length > 256;
      String[] owners = new String[partitions];
      boolean[] used = new boolean[ids.length];
      for (int p = 0; p < partitions; p++) {
        int i = wide ? Short.toUnsignedInt(in.getShort()) : Byte.toUnsignedInt(in.get());
        if (i >= ids.length) {
          throw new IllegalArgumentException("owner index " + i + " out of range");
        }
        owners[p] = ids[i];
        used[i] = true;
      }
      for (boolean u : used) {
        if (!u) {
          throw new IllegalArgumentException("node table lists a node that owns nothing");
        }
      }
      expectEnd(in);
      return Ring.of(partitions, version, owners);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated ring encoding", e);
    }
  }

  public static byte[] encodeMembers(Collection<Member> members) {
    List<String> ids = members.stream().map(Member::id).toList();
    byte[][] idBytes = utf8All(ids);
    ByteBuffer out =
        ByteBuffer.allocate(HEADER + 4 + lengthOf(idBytes) + 8 * idBytes.length + CRC);
    out.putInt(MEMBERS_MAGIC).put(FORMAT).putInt(members.size());
    int i = 0;
    for (Member m : members) {
      out.putShort((short) idBytes[i].length).put(idBytes[i++]).putLong(m.joinedAtMs());
    }
    return withCrc(out);
  }

  /** @throws IllegalArgumentException if the bytes are not a valid, intact member list */
  public static List<Member> decodeMembers(byte[] bytes) {
    ByteBuffer in = open(bytes, MEMBERS_MAGIC);
    try {
      int count = in.getInt();
      // Each member takes at least 2 + 1 + 8 bytes; bounds the allocation below.
      if (count < 0 || count > in.remaining() / 11) {
        throw new IllegalArgumentException("bad member count " + count);
      }
      List<Member> members = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String id = readId(in);
        members.add(new Member(id, in.getLong()));
      }
      expectEnd(in);
      return List.copyOf(members);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated member encoding", e);
    }
  }

  public static byte[] encodeState(RingState state) {
    List<String> ids = List.copyOf(state.members().keySet());
    byte[][] idBytes = utf8All(checkCount(ids));
    Map<String, Integer> index = indexOf(ids);
    boolean wide = ids.size() > 256;
    String[] future = state.futureOwnersArray();
    int ownerBytes = state.partitions() * (wide ? 2 : 1);
    Replication replication = state.replication();
    byte[] replicationText = replication == null ? null : replication.text().getBytes(StandardCharsets.UTF_8);
    byte[][] dcBytes = replication == null ? new byte[0][]
        : utf8All(ids.stream().map(id -> state.dcs().get(id)).toList());
    int size = HEADER + 4 + 8 + 2 + lengthOf(idBytes) + ids.size() + ownerBytes + 1
        + (future == null ? 0 : ownerBytes)
        + (replication == null ? 0 : 2 + replicationText.length + lengthOf(dcBytes)) + CRC;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(STATE_MAGIC).put(replication == null ? FORMAT : FORMAT_DCS).putInt(state.partitions())
        .putLong(state.version());
    out.putShort((short) ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.putShort((short) idBytes[i].length).put(idBytes[i]).put((byte) state.members().get(ids.get(i)).ordinal());
    }
    putOwners(out, state.ownersArray(), index, wide);
    out.put((byte) (future == null ? 0 : 1));
    if (future != null) {
      putOwners(out, future, index, wide);
    }
    if (replication != null) {
      out.putShort((short) replicationText.length).put(replicationText);
      for (byte[] dc : dcBytes) {
        out.putShort((short) dc.length).put(dc);
      }
    }
    return withCrc(out);
  }

  public static RingState decodeState(byte[] bytes) {
    ByteBuffer in = open(bytes, STATE_MAGIC, FORMAT_DCS);
    boolean withDcs = bytes[4] == FORMAT_DCS;
    try {
      int q = in.getInt();
      long version = in.getLong();
      int count = Short.toUnsignedInt(in.getShort());
      String[] ids = new String[count];
      Map<String, Membership> members = new HashMap<>();
      for (int i = 0; i < count; i++) {
        ids[i] = readId(in);
        if (i > 0 && ids[i - 1].compareTo(ids[i]) >= 0) {
          throw new IllegalArgumentException("member table not sorted and distinct");
        }
        int state = Byte.toUnsignedInt(in.get());
        if (state >= Membership.values().length) {
          throw new IllegalArgumentException("unknown membership " + state);
        }
        members.put(ids[i], Membership.values()[state]);
      }
      Ring.checkPartitions(q);
      String[] owners = readOwners(in, ids, q);
      int running = Byte.toUnsignedInt(in.get());
      if (running > 1) {
        throw new IllegalArgumentException("bad change flag " + running);
      }
      String[] future = running == 1 ? readOwners(in, ids, q) : null;
      if (withDcs) {
        Replication replication = Replication.parse(readId(in), 1);
        Map<String, String> dcs = new HashMap<>();
        for (String id : ids) {
          dcs.put(id, readId(in));
        }
        expectEnd(in);
        return RingState.of(version, q, owners, members, future, replication, dcs);
      }
      expectEnd(in);
      return RingState.of(version, q, owners, members, future);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated ring state", e);
    }
  }

  private static List<String> checkCount(List<String> ids) {
    if (ids.size() > 0xFFFF) {
      throw new IllegalArgumentException("too many nodes to encode: " + ids.size());
    }
    return ids;
  }

  private static Map<String, Integer> indexOf(List<String> ids) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    return index;
  }

  private static void putOwners(ByteBuffer out, String[] owners, Map<String, Integer> index, boolean wide) {
    for (String owner : owners) {
      int i = index.get(owner);
      if (wide) {
        out.putShort((short) i);
      } else {
        out.put((byte) i);
      }
    }
  }

  private static String[] readOwners(ByteBuffer in, String[] ids, int q) {
    boolean wide = ids.length > 256;
    String[] owners = new String[q];
    for (int p = 0; p < q; p++) {
      int i = wide ? Short.toUnsignedInt(in.getShort()) : Byte.toUnsignedInt(in.get());
      if (i >= ids.length) {
        throw new IllegalArgumentException("owner index " + i + " out of range");
      }
      owners[p] = ids[i];
    }
    return owners;
  }

  /** Checks length, CRC, magic and format; returns a buffer positioned after the header. */
  private static ByteBuffer open(byte[] bytes, int magic) {
    return open(bytes, magic, FORMAT);
  }

  private static ByteBuffer open(byte[] bytes, int magic, byte maxFormat) {
    if (bytes == null || bytes.length < HEADER + CRC) {
      throw new IllegalArgumentException("encoding too short");
    }
    int body = bytes.length - CRC;
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, body);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, body, CRC).getInt()) {
      throw new IllegalArgumentException("checksum mismatch: corrupt encoding");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, body);
    if (in.getInt() != magic) {
      throw new IllegalArgumentException("bad magic");
    }
    byte format = in.get();
    if (format < FORMAT || format > maxFormat) {
      throw new IllegalArgumentException("unsupported format " + format);
    }
    return in;
  }

  private static String[] readIdTable(ByteBuffer in) {
    int count = Short.toUnsignedInt(in.getShort());
    if (count == 0) {
      throw new IllegalArgumentException("empty node table");
    }
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      ids[i] = readId(in);
      // Sorted and distinct, as encode writes them: one canonical encoding per ring.
      if (i > 0 && ids[i - 1].compareTo(ids[i]) >= 0) {
        throw new IllegalArgumentException("node table not sorted and distinct");
      }
    }
    return ids;
  }

  private static String readId(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length == 0) {
      throw new IllegalArgumentException("empty node id");
    }
    byte[] raw = new byte[length];
    in.get(raw);
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("node id is not valid UTF-8", e);
    }
  }

  private static void expectEnd(ByteBuffer in) {
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " trailing bytes");
    }
  }

  private static byte[][] utf8All(List<String> ids) {
    byte[][] out = new byte[ids.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i).getBytes(StandardCharsets.UTF_8);
      // getBytes silently replaces lone surrogates; such an id would not decode back to itself.
      if (!new String(out[i], StandardCharsets.UTF_8).equals(ids.get(i))) {
        throw new IllegalArgumentException("node id is not valid Unicode: " + ids.get(i));
      }
      if (out[i].length > MAX_ID_BYTES) {
        throw new IllegalArgumentException("node id longer than " + MAX_ID_BYTES + " bytes");
      }
    }
    return out;
  }

  private static int lengthOf(byte[][] ids) {
    return Arrays.stream(ids).mapToInt(b -> 2 + b.length).sum();
  }

  private static byte[] withCrc(ByteBuffer out) {
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }
}
