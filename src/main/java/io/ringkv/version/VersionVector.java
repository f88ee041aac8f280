package io.ringkv.version;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable vector clock: actor to counter, every counter &gt;= 1, absent actors read as 0.
 *
 * <p>Stored as two parallel arrays sorted by actor ({@link String#compareTo}, the same order a
 * {@link TreeMap} uses) because vectors are small, built often on the write path, and joined and
 * compared with linear merge walks.
 */
public final class VersionVector {
    private static final VersionVector EMPTY = new VersionVector(new String[0], new long[0]);

    private final String[] actors;
    private final long[] counters;

    private VersionVector(String[] actors, long[] counters) {
        this.actors = actors;
        this.counters = counters;
    }

    public static VersionVector empty() {
        return EMPTY;
    }

    /** Builds a vector; rejects null or invalid actors and counters that are null, zero or negative. */
    public static VersionVector of(Map<String, Long> entries) {
        Objects.requireNonNull(entries, "entries");
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> e : entries.entrySet()) {
            Dot.validateActor(e.getKey());
            Long counter = e.getValue();
            if (counter == null || counter < 1) {
                throw new IllegalArgumentException("counter for " + e.getKey() + " must be >= 1, got " + counter);
            }
            sorted.put(e.getKey(), counter);
        }
        if (sorted.isEmpty()) {
            return EMPTY;
        }
        String[] a = new String[sorted.size()];
        long[] c = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            a[i] = e.getKey();
            c[i++] = e.getValue();
        }
        return new VersionVector(a, c);
    }

    /** For decoders that already checked: actors valid, strictly increasing, counters >= 1. */
    static VersionVector ofTrustedSorted(String[] actors, long[] counters) {
        return actors.length == 0 ? EMPTY : new VersionVector(actors, counters);
    }

    public long get(String actor) {
        int i = Arrays.binarySearch(actors, actor);
        return i >= 0 ? counters[i] : 0L;
    }

    public boolean covers(Dot dot) {
        return get(dot.actor()) >= dot.counter();
    }

    /** Pointwise maximum. */
    public VersionVector join(VersionVector other) {
        if (other.actors.length == 0 || other == this) {
            return this;
        }
        if (actors.length == 0) {
            return other;
        }
        String[] a = new String[actors.length + other.actors.length];
        long[] c = new long[a.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < actors.length || j < other.actors.length) {
            int cmp = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
            if (cmp < 0) {
                a[n] = actors[i];
                c[n++] = counters[i++];
            } else if (cmp > 0) {
                a[n] = other.actors[j];
                c[n++] = other.counters[j++];
            } else {
                a[n] = actors[i];
                c[n++] = Math.max(counters[i++], other.counters[j++]);
            }
        }
        return new VersionVector(Arrays.copyOf(a, n), Arrays.copyOf(c, n));
    }

    /** Join with the single entry {dot.actor: dot.counter}. */
    public VersionVector with(Dot dot) {
        if (covers(dot)) {
            return this;
        }
        return join(new VersionVector(new String[] {dot.actor()}, new long[] {dot.counter()}));
    }

    /** How this vector relates to {@code other}. */
    public Causality compare(VersionVector other) {
        boolean thisBigger = false;
        boolean otherBigger = false;
        int i = 0;
        int j = 0;
        while (i < actors.length || j < other.actors.length) {
            int cmp = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
            if (cmp < 0) {
                thisBigger = true;
                i++;
            } else if (cmp > 0) {
                otherBigger = true;
                j++;
            } else {
                thisBigger |= counters[i] > other.counters[j];
                otherBigger |= counters[i] < other.counters[j];
                i++;
                j++;
            }
        }
        if (thisBigger) {
            return otherBigger ? Causality.CONCURRENT : Causality.AFTER;
        }
        return otherBigger ? Causality.BEFORE : Causality.EQUAL;
    }

    /** Unmodifiable, sorted by actor. A fresh copy each call: prefer {@link #get} on hot paths. */
    public Map<String, Long> asMap() {
        TreeMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < actors.length; i++) {
            m.put(actors[i], counters[i]);
        }
        return Collections.unmodifiableSortedMap(m);
    }

    public boolean isEmpty() {
        return actors.length == 0;
    }

    public int size() {
        return actors.length;
    }

    String actorAt(int i) {
        return actors[i];
    }

    long counterAt(int i) {
        return counters[i];
    }

    /** A total order (by actors, then counters) used only to break ties deterministically. */
    int compareTotal(VersionVector other) {
        int n = Math.min(actors.length, other.actors.length);
        for (int i = 0; i < n; i++) {
            int cmp = actors[i].compareTo(other.actors[i]);
            if (cmp != 0) {
                return cmp;
            }
            cmp = Long.compare(counters[i], other.counters[i]);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(actors.length, other.actors.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && Arrays.equals(actors, v.actors) && Arrays.equals(counters, v.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(actors) + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < actors.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(actors[i]).append('=').append(counters[i]);
        }
        return sb.append('}').toString();
    }
}
