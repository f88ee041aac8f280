package io.ringkv.version;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable causal context: for each actor, the counters 1..max it covers, minus a few
 * <em>holes</em>. Absent actors read as 0 (nothing covered).
 *
 * <p>A plain vector clock ({@code {n1: 12}}) can only say "every dot of n1 up to 12". That is too
 * much for the context a client gets back from a write: if the coordinator n1 already holds a
 * concurrent sibling (n1, 10) the client never saw, {n1: 12} would let the client's next write
 * silently supersede it. A hole says "up to 12, except 10", so a client that keeps writing with
 * the contexts it gets back replaces only its own versions, and the number of siblings stays the
 * number of truly concurrent writers instead of growing with every write. Holes are only ever
 * dots of live siblings, so there are few of them; almost every vector has none.
 *
 * <p>Stored as parallel arrays sorted by actor ({@link String#compareTo}, the same order a
 * {@link TreeMap} uses) because vectors are small, built often on the write path, and joined and
 * compared with linear merge walks. {@code holes} is null when no actor has any (the usual case);
 * otherwise {@code holes[i]} is null or strictly increasing counters in 1..max-1.
 */
public final class VersionVector {
    private static final VersionVector EMPTY = new VersionVector(new String[0], new long[0], null);
    private static final long[] NO_HOLES = new long[0];

    private final String[] actors;
    private final long[] counters;
    private final long[][] holes;

    private VersionVector(String[] actors, long[] counters, long[][] holes) {
        this.actors = actors;
        this.counters = counters;
        this.holes = holes;
    }

    /** Drops empty hole lists so that equal vectors have equal fields. */
    private static VersionVector make(String[] actors, long[] counters, long[][] holes) {
        if (actors.length == 0) {
            return EMPTY;
        }
        long[][] h = null;
        if (holes != null) {
            for (int i = 0; i < holes.length; i++) {
                if (holes[i] != null && holes[i].length > 0) {
                    if (h == null) {
                        h = new long[actors.length][];
                    }
                    h[i] = holes[i];
                }
            }
        }
        return new VersionVector(actors, counters, h);
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
        return new VersionVector(a, c, null);
    }

    /**
     * For decoders that already checked: actors valid, strictly increasing, counters >= 1, and
     * each hole list (null or empty for none) strictly increasing within 1..counter-1.
     */
    static VersionVector ofTrustedSorted(String[] actors, long[] counters, long[][] holes) {
        return make(actors, counters, holes);
    }

    /** The highest counter of {@code actor} covered (0 if none); holes below it do not change it. */
    public long get(String actor) {
        int i = Arrays.binarySearch(actors, actor);
        return i >= 0 ? counters[i] : 0L;
    }

    public boolean covers(Dot dot) {
        int i = Arrays.binarySearch(actors, dot.actor());
        if (i < 0 || counters[i] < dot.counter()) {
            return false;
        }
        return holes == null || holes[i] == null || Arrays.binarySearch(holes[i], dot.counter()) < 0;
    }

    /** True when some actor has holes (a context that excludes concurrent siblings). */
    public boolean hasHoles() {
        return holes != null;
    }

    /** Union of what both cover. */
    public VersionVector join(VersionVector other) {
        if (other.actors.length == 0 || other == this) {
            return this;
        }
        if (actors.length == 0) {
            return other;
        }
        String[] a = new String[actors.length + other.actors.length];
        long[] c = new long[a.length];
        long[][] h = holes == null && other.holes == null ? null : new long[a.length][];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < actors.length || j < other.actors.length) {
            int cmp = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
            if (cmp < 0) {
                a[n] = actors[i];
                if (h != null) {
                    h[n] = holesAt(i);
                }
                c[n++] = counters[i++];
            } else if (cmp > 0) {
                a[n] = other.actors[j];
                if (h != null) {
                    h[n] = other.holesAt(j);
                }
                c[n++] = other.counters[j++];
            } else {
                a[n] = actors[i];
                if (h != null) {
                    h[n] = joinHoles(counters[i], holesAt(i), other.counters[j], other.holesAt(j));
                }
                c[n++] = Math.max(counters[i++], other.counters[j++]);
            }
        }
        return make(Arrays.copyOf(a, n), Arrays.copyOf(c, n), h == null ? null : Arrays.copyOf(h, n));
    }

    /**
     * A counter stays uncovered in the union only if both leave it uncovered: up to the smaller
     * maximum it must be a hole on both sides, above it a hole of the larger side.
     */
    private static long[] joinHoles(long maxA, long[] holesA, long maxB, long[] holesB) {
        long[] larger = maxA >= maxB ? holesA : holesB;
        long[] smaller = maxA >= maxB ? holesB : holesA;
        long smallerMax = Math.min(maxA, maxB);
        long[] out = new long[larger.length];
        int n = 0;
        for (long k : larger) {
            if (k > smallerMax || Arrays.binarySearch(smaller, k) >= 0) {
                out[n++] = k;
            }
        }
        return n == larger.length ? larger : Arrays.copyOf(out, n);
    }

    /**
     * Everything this covers except {@code dot}: the context of a write that must not supersede
     * the sibling {@code dot} names.
     */
    public VersionVector without(Dot dot) {
        if (!covers(dot)) {
            return this;
        }
        int i = Arrays.binarySearch(actors, dot.actor());
        long[] h = holesAt(i);
        long max = counters[i];
        long[] newHoles;
        if (dot.counter() == max) {
            // The maximum itself goes: lower it past any holes right below it.
            int kept = h.length;
            max--;
            while (kept > 0 && h[kept - 1] == max) {
                kept--;
                max--;
            }
            newHoles = Arrays.copyOf(h, kept);
        } else {
            int at = -Arrays.binarySearch(h, dot.counter()) - 1;
            newHoles = new long[h.length + 1];
            System.arraycopy(h, 0, newHoles, 0, at);
            newHoles[at] = dot.counter();
            System.arraycopy(h, at, newHoles, at + 1, h.length - at);
        }
        if (max == 0) {
            return remove(i);
        }
        long[] c = counters.clone();
        c[i] = max;
        long[][] hs = holes == null ? new long[actors.length][] : holes.clone();
        hs[i] = newHoles;
        return make(actors, c, hs);
    }

    private VersionVector remove(int i) {
        String[] a = new String[actors.length - 1];
        long[] c = new long[a.length];
        long[][] h = holes == null ? null : new long[a.length][];
        for (int from = 0, to = 0; from < actors.length; from++) {
            if (from != i) {
                a[to] = actors[from];
                c[to] = counters[from];
                if (h != null) {
                    h[to] = holes[from];
                }
                to++;
            }
        }
        return make(a, c, h);
    }

    /** Join with the single entry {dot.actor: dot.counter} (which also fills that actor's holes below it). */
    public VersionVector with(Dot dot) {
        if (covers(dot)) {
            return this;
        }
        return join(new VersionVector(new String[] {dot.actor()}, new long[] {dot.counter()}, null));
    }

    /** How this relates to {@code other}, by inclusion of the dots each covers. */
    public Causality compare(VersionVector other) {
        boolean below = coveredBy(other);
        boolean above = other.coveredBy(this);
        if (below) {
            return above ? Causality.EQUAL : Causality.BEFORE;
        }
        return above ? Causality.AFTER : Causality.CONCURRENT;
    }

    /** True when {@code other} covers every dot this covers. */
    private boolean coveredBy(VersionVector other) {
        for (int i = 0; i < actors.length; i++) {
            int j = Arrays.binarySearch(other.actors, actors[i]);
            // The maximum is always covered (it is never a hole), so other must reach it.
            if (j < 0 || other.counters[j] < counters[i]) {
                return false;
            }
            long[] mine = holesAt(i);
            for (long k : other.holesAt(j)) {
                if (k > counters[i]) {
                    break;
                }
                if (Arrays.binarySearch(mine, k) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Actor to highest covered counter, sorted by actor; holes are not shown (this is the
     * informative "clock" of the sibling document). A fresh copy each call: prefer {@link #get}.
     */
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

    /** The holes of entry {@code i}, strictly increasing; empty if none. Do not mutate. */
    long[] holesAt(int i) {
        return holes == null || holes[i] == null ? NO_HOLES : holes[i];
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
        int cmp = Integer.compare(actors.length, other.actors.length);
        for (int i = 0; cmp == 0 && i < actors.length; i++) {
            cmp = Arrays.compare(holesAt(i), other.holesAt(i));
        }
        return cmp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && Arrays.equals(actors, v.actors) && Arrays.equals(counters, v.counters)
                && Arrays.deepEquals(holes, v.holes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(actors) + Arrays.hashCode(counters)) + Arrays.deepHashCode(holes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < actors.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(actors[i]).append('=').append(counters[i]);
            if (holesAt(i).length > 0) {
                sb.append(" except ").append(Arrays.toString(holesAt(i)));
            }
        }
        return sb.append('}').toString();
    }
}
