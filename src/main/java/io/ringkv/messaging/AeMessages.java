package io.ringkv.messaging;

import io.ringkv.messaging.AntiEntropyReplica.KeyDigest;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * The anti-entropy exchange between two replicas of a partition, sent to {@code ringkv.ae.<node>}
 * (docs/anti-entropy.md, "Exchange"). The initiator descends the peer's tree level by level
 * ({@link TreeRequest}), lists the peer's keys of the leaves that differ ({@link DigestRequest}),
 * pulls the records it lacks ({@link KeysRequest}, answered with a {@link PartitionPage}), pushes
 * the ones the peer lacks ({@link Push}), and removes tombstones every home holds ({@link Reap}).
 * A pass first asks each peer for the roots of all the partitions they share ({@link RootsRequest}),
 * so partitions that agree cost a few bytes and no round trip of their own.
 * Binary codecs, one per type, registered by {@link Codecs#registerAll}.
 */
public final class AeMessages {
  private AeMessages() {}

  /** Whether the answering node could compare trees (BUSY: it is in another exchange of that partition). */
  public enum TreeStatus { OK, NOT_READY, SHAPE_MISMATCH, BUSY }

  /** Header naming the node that sent an exchange's request. */
  public static final String FROM_HEADER = "ringkv-ae-from";

  /** The roots of the peer's trees of these partitions. Answered with {@link RootsReply}. */
  public record RootsRequest(int fanout, int depth, int[] partitions) {
    static byte[] encode(RootsRequest m) {
      return ints(new Wire.Writer(12 + 4 * m.partitions.length).i32(m.fanout).i32(m.depth), m.partitions)
          .toByteArray();
    }

    static RootsRequest decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      RootsRequest m = new RootsRequest(in.i32(), in.i32(), ints(in));
      in.expectEnd();
      return m;
    }
  }

  /** Per partition asked, in order: its root, or null while the peer has no built tree of it. */
  public record RootsReply(TreeStatus status, Long[] roots) {
    static byte[] encode(RootsReply m) {
      Wire.Writer out = new Wire.Writer(8 + 9 * m.roots.length).u8(m.status.ordinal()).i32(m.roots.length);
      for (Long root : m.roots) {
        out.bool(root != null).i64(root == null ? 0 : root);
      }
      return out.toByteArray();
    }

    static RootsReply decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      int status = in.u8();
      if (status >= TreeStatus.values().length) {
        throw new IllegalArgumentException("corrupt message: tree status " + status);
      }
      Long[] roots = new Long[in.count()];
      for (int i = 0; i < roots.length; i++) {
        boolean ready = in.bool();
        long root = in.i64();
        roots[i] = ready ? root : null;
      }
      in.expectEnd();
      return new RootsReply(TreeStatus.values()[status], roots);
    }
  }

  /** The hashes of nodes {@code indices} on {@code level} of the peer's tree of {@code partition}. */
  public record TreeRequest(int partition, int fanout, int depth, int level, int[] indices) {
    static byte[] encode(TreeRequest m) {
      return ints(new Wire.Writer(24 + 4 * m.indices.length).i32(m.partition).i32(m.fanout).i32(m.depth)
          .i32(m.level), m.indices).toByteArray();
    }

    static TreeRequest decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      TreeRequest m = new TreeRequest(in.i32(), in.i32(), in.i32(), in.i32(), ints(in));
      in.expectEnd();
      return m;
    }
  }

  /**
   * The hashes asked for, in order (empty unless {@code status} is OK), and how many keys the peer
   * holds in the partition (so the initiator can tell when listing keys is cheaper than descending).
   */
  public record TreeReply(TreeStatus status, long keys, long[] hashes) {
    static byte[] encode(TreeReply m) {
      Wire.Writer out = new Wire.Writer(16 + 8 * m.hashes.length).u8(m.status.ordinal()).i64(m.keys)
          .i32(m.hashes.length);
      for (long h : m.hashes) {
        out.i64(h);
      }
      return out.toByteArray();
    }

    static TreeReply decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      int status = in.u8();
      if (status >= TreeStatus.values().length) {
        throw new IllegalArgumentException("corrupt message: tree status " + status);
      }
      long keys = in.i64();
      long[] hashes = new long[in.count()];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = in.i64();
      }
      in.expectEnd();
      return new TreeReply(TreeStatus.values()[status], keys, hashes);
    }
  }

  /**
   * A page of the peer's keys with their digests, in key order after {@code after}, of the keys
   * whose leaf is in {@code leaves} (null: all). Answered with a {@link Digests}.
   */
  public record DigestRequest(int partition, int fanout, int depth, int[] leaves, byte[] after, int maxKeys) {
    static byte[] encode(DigestRequest m) {
      Wire.Writer out = new Wire.Writer(32 + 4 * (m.leaves == null ? 0 : m.leaves.length))
          .i32(m.partition).i32(m.fanout).i32(m.depth);
      if (m.leaves == null) {
        out.i32(-1);
      } else {
        ints(out, m.leaves);
      }
      return out.bytes(m.after).i32(m.maxKeys).toByteArray();
    }

    static DigestRequest decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      int partition = in.i32();
      int fanout = in.i32();
      int depth = in.i32();
      int[] leaves = in.peekI32() == -1 ? skipNull(in) : ints(in);
      DigestRequest m = new DigestRequest(partition, fanout, depth, leaves, in.bytes(), in.i32());
      in.expectEnd();
      return m;
    }

    private static int[] skipNull(Wire.Reader in) {
      in.i32();
      return null;
    }
  }

  /** Keys with their digests, and whether the listing reached the end of the partition. */
  public record Digests(List<KeyDigest> keys, boolean end) {
    public Digests {
      keys = List.copyOf(keys);
    }

    static byte[] encode(Digests m) {
      return digests(new Wire.Writer(16 + 24 * m.keys.size()), m.keys).bool(m.end).toByteArray();
    }

    static Digests decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      Digests m = new Digests(digests(in), in.bool());
      in.expectEnd();
      return m;
    }
  }

  /**
   * The peer's records of these keys ({@code records}: answered with a {@link PartitionPage}
   * without the keys it has no versions of) or their digests (answered with {@link Digests}, one
   * per key in order, 0 for a key without versions).
   */
  public record KeysRequest(int partition, boolean records, List<byte[]> keys) {
    public KeysRequest {
      keys = List.copyOf(keys);
    }

    static byte[] encode(KeysRequest m) {
      Wire.Writer out = new Wire.Writer(16 + 20 * m.keys.size()).i32(m.partition).bool(m.records).i32(m.keys.size());
      m.keys.forEach(out::bytes);
      return out.toByteArray();
    }

    static KeysRequest decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      int partition = in.i32();
      boolean records = in.bool();
      int count = in.count();
      List<byte[]> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        keys.add(nonNull(in.bytes()));
      }
      in.expectEnd();
      return new KeysRequest(partition, records, keys);
    }
  }

  /** Records for the peer to merge as replication does; answered with an {@link Ack} of the keys it changed. */
  public record Push(int partition, List<PartitionPage.Entry> records) {
    public Push {
      records = List.copyOf(records);
    }

    public int bytes() {
      return new PartitionPage(records, true).bytes();
    }

    static byte[] encode(Push m) {
      return new Wire.Writer(16 + m.bytes()).i32(m.partition).bytes(PartitionPage.encode(new PartitionPage(m.records,
          true))).toByteArray();
    }

    static Push decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      Push m = new Push(in.i32(), PartitionPage.decode(nonNull(in.bytes())).entries());
      in.expectEnd();
      return m;
    }
  }

  /** Tombstones every home holds: each is removed if its record still has that digest. Answered with an {@link Ack}. */
  public record Reap(int partition, List<KeyDigest> keys) {
    public Reap {
      keys = List.copyOf(keys);
    }

    static byte[] encode(Reap m) {
      return digests(new Wire.Writer(16 + 24 * m.keys.size()).i32(m.partition), m.keys).toByteArray();
    }

    static Reap decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      Reap m = new Reap(in.i32(), digests(in));
      in.expectEnd();
      return m;
    }
  }

  /** How many keys a push or a reap changed. */
  public record Ack(int count) {
    static byte[] encode(Ack m) {
      return new Wire.Writer(4).i32(m.count).toByteArray();
    }

    static Ack decode(byte[] data) {
      Wire.Reader in = new Wire.Reader(data);
      Ack m = new Ack(in.i32());
      in.expectEnd();
      return m;
    }
  }

  /** Encoded size of any message of this exchange (what anti-entropy counts as bytes exchanged). */
  public static int size(Object message) {
    byte[] body;
    if (message instanceof RootsRequest m) {
      body = RootsRequest.encode(m);
    } else if (message instanceof RootsReply m) {
      body = RootsReply.encode(m);
    } else if (message instanceof TreeRequest m) {
      body = TreeRequest.encode(m);
    } else if (message instanceof TreeReply m) {
      body = TreeReply.encode(m);
    } else if (message instanceof DigestRequest m) {
      body = DigestRequest.encode(m);
    } else if (message instanceof Digests m) {
      body = Digests.encode(m);
    } else if (message instanceof KeysRequest m) {
      body = KeysRequest.encode(m);
    } else if (message instanceof Push m) {
      body = Push.encode(m);
    } else if (message instanceof Reap m) {
      body = Reap.encode(m);
    } else if (message instanceof Ack m) {
      body = Ack.encode(m);
    } else if (message instanceof PartitionPage m) {
      body = PartitionPage.encode(m);
    } else {
      throw new IllegalArgumentException("not an anti-entropy message: " + message.getClass());
    }
    return 4 + body.length;
  }

  static void register(EventBus bus) {
    bus.registerDefaultCodec(RootsRequest.class, new BinaryCodec<>("ringkv.ae.RootsRequest", RootsRequest::encode,
        RootsRequest::decode));
    bus.registerDefaultCodec(RootsReply.class, new BinaryCodec<>("ringkv.ae.RootsReply", RootsReply::encode,
        RootsReply::decode));
    bus.registerDefaultCodec(TreeRequest.class, new BinaryCodec<>("ringkv.ae.TreeRequest", TreeRequest::encode,
        TreeRequest::decode));
    bus.registerDefaultCodec(TreeReply.class, new BinaryCodec<>("ringkv.ae.TreeReply", TreeReply::encode,
        TreeReply::decode));
    bus.registerDefaultCodec(DigestRequest.class, new BinaryCodec<>("ringkv.ae.DigestRequest", DigestRequest::encode,
        DigestRequest::decode));
    bus.registerDefaultCodec(Digests.class, new BinaryCodec<>("ringkv.ae.Digests", Digests::encode, Digests::decode));
    bus.registerDefaultCodec(KeysRequest.class, new BinaryCodec<>("ringkv.ae.KeysRequest", KeysRequest::encode,
        KeysRequest::decode));
    bus.registerDefaultCodec(Push.class, new BinaryCodec<>("ringkv.ae.Push", Push::encode, Push::decode));
    bus.registerDefaultCodec(Reap.class, new BinaryCodec<>("ringkv.ae.Reap", Reap::encode, Reap::decode));
    bus.registerDefaultCodec(Ack.class, new BinaryCodec<>("ringkv.ae.Ack", Ack::encode, Ack::decode));
  }

  private static Wire.Writer ints(Wire.Writer out, int[] values) {
    out.i32(values.length);
    for (int v : values) {
      out.i32(v);
    }
    return out;
  }

  private static int[] ints(Wire.Reader in) {
    int count = in.count();
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = in.i32();
    }
    return values;
  }

  private static Wire.Writer digests(Wire.Writer out, List<KeyDigest> keys) {
    out.i32(keys.size());
    for (KeyDigest k : keys) {
      out.bytes(k.key()).i64(k.digest());
    }
    return out;
  }

  private static List<KeyDigest> digests(Wire.Reader in) {
    int count = in.count();
    List<KeyDigest> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(new KeyDigest(nonNull(in.bytes()), in.i64()));
    }
    return keys;
  }

  private static byte[] nonNull(byte[] b) {
    if (b == null) {
      throw new IllegalArgumentException("corrupt message: missing bytes");
    }
    return b;
  }
}
