package io.ringkv.version;

/**
 * What anti-entropy compares about a key: a 64-bit digest of the versions a stored sibling-set
 * record holds, computed from the record bytes without decoding them (no objects per version).
 *
 * <p>Only what names a version enters the digest: its dot (actor, counter), its timestamp and its
 * tombstone flag, never the record's byte layout, the past vectors or the value. A dot names one
 * write, so two replicas whose sets hold the same versions get the same digest, also when one
 * stored them in format 1 and the other in format 2. Versions combine by a wrapping sum of
 * well-mixed hashes, so their order does not matter either. A record without versions, like a
 * missing record, has digest 0; every other digest is non-zero.
 *
 * <p>Besides the digest it reports how many versions there are, whether all of them are
 * tombstones, and the newest timestamp: what tombstone garbage collection needs to know.
 */
public record RecordDigest(long hash, int versions, boolean tombstonesOnly, long newestTimestampMs) {

    /** The digest of a missing record (or one without versions). */
    public static final RecordDigest ABSENT = new RecordDigest(0, 0, false, Long.MIN_VALUE);

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long MIX_TIMESTAMP = 0xC2B2AE3D27D4EB4FL;
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    private static final int FLAG_TOMBSTONE = 1;

    /**
     * Digests a stored record ({@link SiblingSetCodec} format 1 or 2); null means no record.
     *
     * @throws IllegalArgumentException if the bytes are not a record of either format
     */
    public static RecordDigest of(byte[] record) {
        if (record == null) {
            return ABSENT;
        }
        ByteReader r = new ByteReader(record, 0, record.length);
        int format = r.readByte();
        if (format != SiblingSetCodec.FORMAT_VERSION && format != SiblingSetCodec.FORMAT_VERSION_NO_HOLES) {
            throw new IllegalArgumentException("unsupported record format version");
        }
        boolean withHoles = format == SiblingSetCodec.FORMAT_VERSION;
        int count = r.readVarInt(r.remaining(), "version count");
        long sum = 0;
        boolean allTombstones = true;
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long actor = hashString(r);
            long counter = r.readVarLong();
            skipVector(r, withHoles);
            long timestamp = r.readLong();
            int flags = r.readByte();
            r.skip(r.readVarInt(r.remaining(), "content type length"));
            r.skip(r.readVarInt(r.remaining(), "value length"));
            boolean tombstone = (flags & FLAG_TOMBSTONE) != 0;
            sum += versionHash(actor, counter, timestamp, tombstone);
            allTombstones &= tombstone;
            newest = Math.max(newest, timestamp);
        }
        r.expectEnd();
        if (count == 0) {
            return ABSENT;
        }
        long hash = mix(sum + count * GOLDEN);
        return new RecordDigest(hash == 0 ? 1 : hash, count, allTombstones, newest);
    }

    /** The digest of a decoded set: equal to {@link #of} of its record. */
    public static RecordDigest of(SiblingSet set) {
        if (set.isEmpty()) {
            return ABSENT;
        }
        long sum = 0;
        boolean allTombstones = true;
        long newest = Long.MIN_VALUE;
        for (Version v : set.versions()) {
            byte[] actor = v.dot().actor().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            sum += versionHash(fnv(actor, 0, actor.length), v.dot().counter(), v.timestampMs(), v.tombstone());
            allTombstones &= v.tombstone();
            newest = Math.max(newest, v.timestampMs());
        }
        long hash = mix(sum + set.size() * GOLDEN);
        return new RecordDigest(hash == 0 ? 1 : hash, set.size(), allTombstones, newest);
    }

    public boolean absent() {
        return versions == 0;
    }

    private static long versionHash(long actor, long counter, long timestamp, boolean tombstone) {
        long h = mix(actor + GOLDEN * counter);
        h = mix(h ^ (timestamp * MIX_TIMESTAMP));
        return tombstone ? mix(~h) : h;
    }

    private static long hashString(ByteReader r) {
        int length = r.readVarInt(Dot.MAX_ACTOR_BYTES, "actor length");
        int start = r.position();
        r.skip(length);
        long h = FNV_OFFSET;
        for (int i = start; i < start + length; i++) {
            h = (h ^ r.byteAt(i)) * FNV_PRIME;
        }
        return mix(h + length);
    }

    private static long fnv(byte[] bytes, int start, int length) {
        long h = FNV_OFFSET;
        for (int i = start; i < start + length; i++) {
            h = (h ^ (bytes[i] & 0xFF)) * FNV_PRIME;
        }
        return mix(h + length);
    }

    private static void skipVector(ByteReader r, boolean withHoles) {
        int entries = r.readVarInt(r.remaining(), "vector entry count");
        for (int i = 0; i < entries; i++) {
            r.skip(r.readVarInt(Dot.MAX_ACTOR_BYTES, "actor length"));
            r.readVarLong();
            int holes = withHoles ? r.readVarInt(r.remaining(), "hole count") : 0;
            for (int k = 0; k < holes; k++) {
                r.readVarLong();
            }
        }
    }

    /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
