package io.ringkv.version;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * One stored version of a key (a sibling): its {@link Dot}, the causal context ({@code past}) the
 * writing client sent, a wall-clock timestamp (for LWW and display only, never for causality), a
 * tombstone flag, the content type and the value.
 *
 * <p>The value array is NOT copied (values reach 1 MiB and sit on the hot path): callers must
 * never mutate the array they pass in or get back.
 */
public final class Version {

    /**
     * Order of {@link SiblingSet#versions()} and of LWW: timestamp, then actor, then counter. The
     * remaining fields only matter for two different versions carrying the same dot (a bug or
     * corruption elsewhere), where they still give every replica the same deterministic pick.
     */
    static final Comparator<Version> ORDER = Comparator.comparingLong(Version::timestampMs)
            .thenComparing((Version v) -> v.dot.actor())
            .thenComparingLong(v -> v.dot.counter())
            .thenComparing(Version::compareContent);

    private static final byte[] EMPTY_VALUE = new byte[0];

    private final Dot dot;
    private final VersionVector past;
    private final long timestampMs;
    private final boolean tombstone;
    private final String contentType;
    private final byte[] value;

    /**
     * @param contentType null is stored as ""
     * @param value null is stored as empty; a tombstone's value must be empty
     * @throws IllegalArgumentException if {@code past} already covers {@code dot} (the version
     *     would supersede itself: the coordinator must pick a counter above the context's)
     */
    public Version(Dot dot, VersionVector past, long timestampMs, boolean tombstone, String contentType,
            byte[] value) {
        this.dot = Objects.requireNonNull(dot, "dot");
        this.past = Objects.requireNonNull(past, "past");
        if (past.covers(dot)) {
            throw new IllegalArgumentException("past " + past + " already covers dot " + dot);
        }
        this.value = value == null || value.length == 0 ? EMPTY_VALUE : value;
        if (tombstone && this.value.length != 0) {
            throw new IllegalArgumentException("a tombstone has no value");
        }
        this.timestampMs = timestampMs;
        this.tombstone = tombstone;
        this.contentType = contentType == null ? "" : contentType;
    }

    /** A delete marker: a version like any other, with no value. */
    public static Version tombstone(Dot dot, VersionVector past, long timestampMs) {
        return new Version(dot, past, timestampMs, true, "", EMPTY_VALUE);
    }

    public Dot dot() {
        return dot;
    }

    public VersionVector past() {
        return past;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public boolean tombstone() {
        return tombstone;
    }

    public String contentType() {
        return contentType;
    }

    /** Never null, empty for tombstones. Do not mutate. */
    public byte[] value() {
        return value;
    }

    /**
     * {@code past.with(dot)}, shown to users as the sibling's "clock". Informative only: it may
     * cover concurrent siblings the writer never saw (the gap DVV keeps apart), so it is NOT a safe
     * context to hand back to a client; use {@link SiblingSet#context()} of a whole set.
     */
    public VersionVector clock() {
        return past.with(dot);
    }

    /** True when a write carrying {@code context} replaces this version. */
    public boolean isSupersededBy(VersionVector context) {
        return context.covers(dot);
    }

    private static int compareContent(Version a, Version b) {
        int cmp = Boolean.compare(a.tombstone, b.tombstone);
        if (cmp == 0) {
            cmp = a.contentType.compareTo(b.contentType);
        }
        if (cmp == 0) {
            cmp = Arrays.compare(a.value, b.value);
        }
        return cmp != 0 ? cmp : a.past.compareTotal(b.past);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && dot.equals(v.dot) && timestampMs == v.timestampMs
                && tombstone == v.tombstone && past.equals(v.past) && contentType.equals(v.contentType)
                && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(dot, past, timestampMs, tombstone, contentType);
        return 31 * h + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Version{" + dot.actor() + ":" + dot.counter() + ", past=" + past + ", ts=" + timestampMs
                + (tombstone ? ", tombstone" : ", " + contentType + ", " + value.length + " bytes") + "}";
    }
}
