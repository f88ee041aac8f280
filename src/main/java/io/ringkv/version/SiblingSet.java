package io.ringkv.version;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable set of concurrent versions of one key, as a replica stores it. May hold
 * tombstones. Always in normal form: no version's dot is covered by another version's past, dots
 * are unique, and versions are sorted by timestamp, actor, counter.
 *
 * <p>In {@link ConflictMode#SIBLINGS} mode {@link #merge} is the DVV "sync": union, then drop
 * superseded versions. In {@link ConflictMode#LWW} mode a set holds at most one version and
 * {@link #merge}/{@link #applyWrite} keep the greatest version of the union by (timestamp, actor,
 * counter). LWW deliberately ignores causality: "normalise, then pick the latest" is not
 * associative (x:ts10 and y:ts5 concurrent, z:ts1 supersedes x; merging (x,y) then z yields z,
 * merging (y,z) then x yields x), so replicas would never converge. A plain maximum under a total
 * order always converges, and it is what "highest timestamp wins" means.
 */
public final class SiblingSet {
    private static final SiblingSet EMPTY = new SiblingSet(List.of());

    private final List<Version> versions;
    private VersionVector context; // lazily computed; benign race (VersionVector is immutable)

    private SiblingSet(List<Version> sortedNormalVersions) {
        this.versions = sortedNormalVersions;
    }

    public static SiblingSet empty() {
        return EMPTY;
    }

    /** Normalises: keeps one version per dot, drops versions superseded by others, sorts. */
    public static SiblingSet of(List<Version> versions) {
        return fromNormal(normalize(versions));
    }

    private static SiblingSet fromNormal(List<Version> sorted) {
        return sorted.isEmpty() ? EMPTY : new SiblingSet(List.copyOf(sorted));
    }

    private static List<Version> normalize(Collection<Version> input) {
        Map<Dot, Version> byDot = new HashMap<>(input.size() * 2);
        for (Version v : input) {
            Objects.requireNonNull(v, "version");
            byDot.merge(v.dot(), v, (a, b) -> Version.ORDER.compare(a, b) >= 0 ? a : b);
        }
        List<Version> kept = new ArrayList<>(byDot.size());
        for (Version v : byDot.values()) {
            if (!supersededByAnother(v, byDot.values())) {
                kept.add(v);
            }
        }
        kept.sort(Version.ORDER);
        return kept;
    }

    private static boolean supersededByAnother(Version v, Collection<Version> all) {
        for (Version w : all) {
            if (w != v && v.isSupersededBy(w.past())) {
                return true;
            }
        }
        return false;
    }

    /** Sorted by timestamp, then actor, then counter. Unmodifiable. */
    public List<Version> versions() {
        return versions;
    }

    /** The non-tombstone versions, in {@link #versions()} order. */
    public List<Version> live() {
        List<Version> out = new ArrayList<>(versions.size());
        for (Version v : versions) {
            if (!v.tombstone()) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    public boolean isEmpty() {
        return versions.isEmpty();
    }

    public int size() {
        return versions.size();
    }

    public boolean hasLiveValue() {
        for (Version v : versions) {
            if (!v.tombstone()) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(Dot dot) {
        return find(dot) != null;
    }

    private Version find(Dot dot) {
        for (Version v : versions) {
            if (v.dot().equals(dot)) {
                return v;
            }
        }
        return null;
    }

    /** Join of every version's clock: the causal context a reader of this whole set gets. */
    public VersionVector context() {
        VersionVector c = context;
        if (c == null) {
            c = VersionVector.empty();
            for (Version v : versions) {
                c = c.join(v.clock());
            }
            context = c;
        }
        return c;
    }

    /** Largest counter of {@code actor} anywhere in {@link #context()} (0 if none). */
    public long maxCounter(String actor) {
        long max = 0;
        for (Version v : versions) {
            max = Math.max(max, v.past().get(actor));
            if (v.dot().actor().equals(actor)) {
                max = Math.max(max, v.dot().counter());
            }
        }
        return max;
    }

    /**
     * The dot a coordinating replica {@code actor} must give a write carrying
     * {@code clientContext}: one above every counter of that actor it or the client has seen, so
     * the dot is new and no existing past covers it.
     */
    public Dot nextDot(String actor, VersionVector clientContext) {
        return new Dot(actor, Math.max(maxCounter(actor), clientContext.get(actor)) + 1);
    }

    /**
     * The write a coordinating replica performs: drops every version that {@code newVersion.past()}
     * (the client's context) covers and adds {@code newVersion}. Re-applying an identical version
     * is a no-op (retries are idempotent).
     *
     * @throws IllegalArgumentException if the dot was already used for a different version, or is
     *     not above {@link #maxCounter} of its actor (use {@link #nextDot}); such a write could be
     *     silently superseded on arrival, losing an acknowledged write
     */
    public SiblingSet applyWrite(Version newVersion, ConflictMode mode) {
        Objects.requireNonNull(mode, "mode");
        Version existing = find(newVersion.dot());
        if (existing != null) {
            if (!existing.equals(newVersion)) {
                throw new IllegalArgumentException("dot " + newVersion.dot() + " already names another version");
            }
            return mode == ConflictMode.LWW ? resolveLww() : this;
        }
        if (maxCounter(newVersion.dot().actor()) >= newVersion.dot().counter()) {
            throw new IllegalArgumentException("stale dot " + newVersion.dot() + ": counter must exceed "
                    + maxCounter(newVersion.dot().actor()));
        }
        if (mode == ConflictMode.LWW) {
            return lwwOf(versions, List.of(newVersion));
        }
        List<Version> out = new ArrayList<>(versions.size() + 1);
        for (Version v : versions) {
            if (!v.isSupersededBy(newVersion.past())) {
                out.add(v);
            }
        }
        // No remaining past covers the new dot: its counter exceeds every counter of its actor here.
        out.add(newVersion);
        out.sort(Version.ORDER);
        return fromNormal(out);
    }

    /**
     * The context to hand back to the client that wrote {@code written} into this set (the set
     * right after that write, at the coordinator that wrote it): the new version's clock, with a
     * hole for every sibling of the same actor below it that the client's context did not cover (a
     * concurrent write the client never saw). With it, the client's next write supersedes exactly
     * its own version and what it had seen, never that sibling; and the siblings of a key do not
     * pile up when a client writes again and again without reading.
     *
     * <p>Filling the rest of the gap below the new dot is safe: an actor makes each dot of a key
     * while it holds all its earlier dots of that key (the store moves to a new actor name whenever
     * it may have lost one), so every dot of this actor that is still live somewhere is in this
     * set, unless a version here already supersedes it.
     */
    public VersionVector contextAfterWrite(Version written) {
        VersionVector context = written.clock();
        for (Version v : versions) {
            // Only siblings of the writer's own node below the new dot are covered by the clock
            // and not by the client's past; without() leaves every other version as it is.
            if (!v.dot().equals(written.dot()) && !written.past().covers(v.dot())) {
                context = context.without(v.dot());
            }
        }
        return context;
    }

    /**
     * Replica synchronisation: union, then drop every version whose dot another version's past
     * covers; identical dots are one version. Commutative, associative and idempotent.
     */
    public SiblingSet merge(SiblingSet other, ConflictMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == ConflictMode.LWW) {
            return lwwOf(versions, other.versions);
        }
        if (other.versions.isEmpty() || other == this) {
            return this;
        }
        if (versions.isEmpty()) {
            return other;
        }
        List<Version> union = new ArrayList<>(versions.size() + other.versions.size());
        union.addAll(versions);
        union.addAll(other.versions);
        return fromNormal(normalize(union));
    }

    private static SiblingSet lwwOf(List<Version> a, List<Version> b) {
        Version best = null;
        for (List<Version> list : List.of(a, b)) {
            for (Version v : list) {
                best = best == null || Version.ORDER.compare(v, best) > 0 ? v : best;
            }
        }
        return best == null ? EMPTY : new SiblingSet(List.of(best));
    }

    /**
     * True when both hold the same versions, judged by dot and timestamp (used to decide read
     * repair). The timestamp also catches LWW-mode sets, where a counter can be reused.
     */
    public boolean sameVersionsAs(SiblingSet other) {
        if (versions.size() != other.versions.size()) {
            return false;
        }
        for (int i = 0; i < versions.size(); i++) {
            Version a = versions.get(i);
            Version b = other.versions.get(i);
            if (!a.dot().equals(b.dot()) || a.timestampMs() != b.timestampMs()) {
                return false;
            }
        }
        return true;
    }

    /** The single winner: highest timestamp, ties broken by actor, then counter. */
    public SiblingSet resolveLww() {
        return versions.size() <= 1 ? this : new SiblingSet(List.of(versions.get(versions.size() - 1)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiblingSet s && versions.equals(s.versions);
    }

    @Override
    public int hashCode() {
        return versions.hashCode();
    }

    @Override
    public String toString() {
        return "SiblingSet" + versions;
    }
}
