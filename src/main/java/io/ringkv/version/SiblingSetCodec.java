package io.ringkv.version;

import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary record of a {@link SiblingSet}: the LevelDB value and the event-bus payload.
 *
 * <pre>
 * record  := format:u8 (=2)  count:varint  version{count}
 * version := actor:string  counter:varint  past:vector  timestampMs:i64  flags:u8
 *            contentType:string  value:bytes
 * vector  := count:varint  entry{count}                            actors strictly increasing
 *                                                                  (String.compareTo)
 * entry   := actor:string  counter:varint  holeCount:varint  gap:varint{holeCount}
 *            counter &gt;= 1; holes (see {@link VersionVector}) are the running sums of the gaps,
 *            each gap &gt;= 1, the last hole &lt; counter
 * (format 1, still read: an entry had no holeCount and no gaps)
 * string  := length:varint  UTF-8 bytes{length}                    strict UTF-8; actors 1..255 bytes
 * bytes   := length:varint  byte{length}
 * flags   := bit 0 = tombstone, bits 1..7 must be 0
 * varint  := unsigned LEB128, 7 bits per byte, least significant first, shortest form only
 * i64     := 8 bytes big-endian, two's complement
 * </pre>
 *
 * <p>Versions appear in {@link SiblingSet#versions()} order, and a record with any other order
 * is rejected, as is every non-shortest varint: each set has exactly one encoding. The record carries no checksum:
 * LevelDB checksums its blocks and the event bus runs over TCP. Decoding rejects anything that is
 * not exactly such a record: truncation, trailing bytes, lengths beyond the input, bad UTF-8,
 * unknown flags, a tombstone with a value, a past covering its own dot, or a set that is not in
 * normal form (duplicate dots, superseded versions).
 */
public final class SiblingSetCodec {
    /** First byte of every record; bump it when the layout changes. */
    public static final int FORMAT_VERSION = 2;
    /** The layout before vectors had holes: still decoded, so existing data stays readable. */
    static final int FORMAT_VERSION_NO_HOLES = 1;

    private static final int FLAG_TOMBSTONE = 1;
    /** Smallest possible encoded version: actor 2, counter 1, past 1, timestamp 8, flags 1, type 1, value 1. */
    private static final int MIN_VERSION_BYTES = 15;
    /** Smallest possible vector entry: actor 2, counter 1. */
    private static final int MIN_ENTRY_BYTES = 3;

    private SiblingSetCodec() {
    }

    public static byte[] encode(SiblingSet set) {
        List<Version> versions = set.versions();
        int size = 1 + ByteWriter.varLongSize(versions.size());
        for (Version v : versions) {
            size += versionSize(v);
        }
        ByteWriter w = new ByteWriter(size);
        w.writeByte(FORMAT_VERSION);
        w.writeVarLong(versions.size());
        for (Version v : versions) {
            w.writeString(v.dot().actor());
            w.writeVarLong(v.dot().counter());
            writeVector(w, v.past());
            w.writeLong(v.timestampMs());
            w.writeByte(v.tombstone() ? FLAG_TOMBSTONE : 0);
            w.writeString(v.contentType());
            w.writeBytes(v.value());
        }
        return w.toArray();
    }

    private static int versionSize(Version v) {
        return ByteWriter.stringSize(v.dot().actor()) + ByteWriter.varLongSize(v.dot().counter())
                + vectorSize(v.past()) + 8 + 1 + ByteWriter.stringSize(v.contentType())
                + ByteWriter.varLongSize(v.value().length) + v.value().length;
    }

    /** @throws IllegalArgumentException if {@code bytes} is not exactly one valid record */
    public static SiblingSet decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes, 0, bytes.length);
        int format = r.readByte();
        if (format != FORMAT_VERSION && format != FORMAT_VERSION_NO_HOLES) {
            throw new IllegalArgumentException("unsupported record format version");
        }
        boolean withHoles = format == FORMAT_VERSION;
        int count = r.readVarInt(r.remaining() / MIN_VERSION_BYTES, "version count");
        List<Version> versions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            versions.add(readVersion(r, withHoles));
        }
        r.expectEnd();
        SiblingSet set = SiblingSet.of(versions);
        // Only the canonical encoding of a set is accepted, so decode-then-encode is the identity.
        if (!set.versions().equals(versions)) {
            throw new IllegalArgumentException("record is not in normal form");
        }
        return set;
    }

    private static Version readVersion(ByteReader r, boolean withHoles) {
        String actor = r.readString(Dot.MAX_ACTOR_BYTES, "actor");
        long counter = r.readVarLong();
        VersionVector past = readVector(r, Integer.MAX_VALUE, withHoles);
        long timestamp = r.readLong();
        int flags = r.readByte();
        if ((flags & ~FLAG_TOMBSTONE) != 0) {
            throw new IllegalArgumentException("unknown flags");
        }
        String contentType = r.readString(Integer.MAX_VALUE - 8, "content type");
        byte[] value = r.readBytes("value");
        // Dot and Version validate the rest (counter >= 1, empty actor, tombstone value, past vs dot).
        return new Version(new Dot(actor, counter), past, timestamp, flags == FLAG_TOMBSTONE, contentType, value);
    }

    /** The {@code vector} production above, on its own. */
    public static byte[] encodeVector(VersionVector v) {
        ByteWriter w = new ByteWriter(vectorSize(v));
        writeVector(w, v);
        return w.toArray();
    }

    /** @throws IllegalArgumentException if {@code b} is not exactly one valid vector */
    public static VersionVector decodeVector(byte[] b) {
        ByteReader r = new ByteReader(b, 0, b.length);
        VersionVector v = readVector(r, Integer.MAX_VALUE, true);
        r.expectEnd();
        return v;
    }

    static int vectorSize(VersionVector v) {
        int size = ByteWriter.varLongSize(v.size());
        for (int i = 0; i < v.size(); i++) {
            long[] holes = v.holesAt(i);
            size += ByteWriter.stringSize(v.actorAt(i)) + ByteWriter.varLongSize(v.counterAt(i))
                    + ByteWriter.varLongSize(holes.length);
            long previous = 0;
            for (long hole : holes) {
                size += ByteWriter.varLongSize(hole - previous);
                previous = hole;
            }
        }
        return size;
    }

    static void writeVector(ByteWriter w, VersionVector v) {
        w.writeVarLong(v.size());
        for (int i = 0; i < v.size(); i++) {
            w.writeString(v.actorAt(i));
            w.writeVarLong(v.counterAt(i));
            long[] holes = v.holesAt(i);
            w.writeVarLong(holes.length);
            long previous = 0;
            for (long hole : holes) {
                w.writeVarLong(hole - previous);
                previous = hole;
            }
        }
    }

    /** Reads and fully validates a vector (so it can skip {@link VersionVector#of}'s re-sorting). */
    static VersionVector readVector(ByteReader r, int maxEntries, boolean withHoles) {
        int count = r.readVarInt(Math.min(maxEntries, r.remaining() / MIN_ENTRY_BYTES), "vector entry count");
        String[] actors = new String[count];
        long[] counters = new long[count];
        long[][] holes = null;
        for (int i = 0; i < count; i++) {
            actors[i] = r.readString(Dot.MAX_ACTOR_BYTES, "actor");
            if (actors[i].isEmpty()) {
                throw new IllegalArgumentException("empty actor");
            }
            if (i > 0 && actors[i - 1].compareTo(actors[i]) >= 0) {
                throw new IllegalArgumentException("vector actors not strictly increasing");
            }
            counters[i] = r.readVarLong();
            if (counters[i] < 1) {
                throw new IllegalArgumentException("vector counter must be >= 1");
            }
            int holeCount = withHoles ? r.readVarInt(r.remaining(), "hole count") : 0;
            if (holeCount > 0) {
                holes = holes == null ? new long[count][] : holes;
                holes[i] = readHoles(r, holeCount, counters[i]);
            }
        }
        return VersionVector.ofTrustedSorted(actors, counters, holes);
    }

    private static long[] readHoles(ByteReader r, int count, long counter) {
        long[] holes = new long[count];
        long previous = 0;
        for (int k = 0; k < count; k++) {
            long gap = r.readVarLong();
            if (gap < 1 || gap >= counter - previous) {
                throw new IllegalArgumentException("vector hole out of order or not below its counter");
            }
            previous += gap;
            holes[k] = previous;
        }
        return holes;
    }
}
