package io.ringkv.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
    private static final String[] ACTORS = {"a", "b", "c", "n1", "n2", "ä"};

    static VersionVector vv(Object... actorCounterPairs) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i < actorCounterPairs.length; i += 2) {
            m.put((String) actorCounterPairs[i], ((Number) actorCounterPairs[i + 1]).longValue());
        }
        return VersionVector.of(m);
    }

    static VersionVector random(Random rnd) {
        Map<String, Long> m = new HashMap<>();
        for (String a : ACTORS) {
            if (rnd.nextInt(3) == 0) {
                m.put(a, 1L + rnd.nextInt(4));
            }
        }
        return VersionVector.of(m);
    }

    @Test
    void compareCoversAllFourOutcomes() {
        assertEquals(Causality.EQUAL, vv("a", 1, "b", 2).compare(vv("b", 2, "a", 1)));
        assertEquals(Causality.BEFORE, vv("a", 1).compare(vv("a", 1, "b", 1)));
        assertEquals(Causality.BEFORE, vv("a", 1).compare(vv("a", 2)));
        assertEquals(Causality.AFTER, vv("a", 2, "b", 1).compare(vv("a", 2)));
        assertEquals(Causality.CONCURRENT, vv("a", 2).compare(vv("b", 1)));
        assertEquals(Causality.CONCURRENT, vv("a", 2, "b", 1).compare(vv("a", 1, "b", 2)));
        assertEquals(Causality.EQUAL, VersionVector.empty().compare(VersionVector.empty()));
        assertEquals(Causality.BEFORE, VersionVector.empty().compare(vv("a", 1)));
    }

    @Test
    void compareAgreesWithPointwiseDefinition() {
        Random rnd = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            VersionVector x = random(rnd);
            VersionVector y = random(rnd);
            boolean le = true;
            boolean ge = true;
            for (String a : ACTORS) {
                le &= x.get(a) <= y.get(a);
                ge &= x.get(a) >= y.get(a);
            }
            Causality expected = le && ge ? Causality.EQUAL : le ? Causality.BEFORE : ge ? Causality.AFTER : Causality.CONCURRENT;
            assertEquals(expected, x.compare(y), x + " vs " + y);
            assertEquals(expected == Causality.EQUAL, x.equals(y));
        }
    }

    @Test
    void joinIsALeastUpperBound() {
        Random rnd = new Random(2);
        for (int i = 0; i < 1_000; i++) {
            VersionVector x = random(rnd);
            VersionVector y = random(rnd);
            VersionVector z = random(rnd);
            VersionVector xy = x.join(y);
            assertEquals(xy, y.join(x));
            assertEquals(xy.join(z), x.join(y.join(z)));
            assertEquals(x, x.join(x));
            assertEquals(x, x.join(VersionVector.empty()));
            assertTrue(List.of(Causality.AFTER, Causality.EQUAL).contains(xy.compare(x)));
            for (String a : ACTORS) {
                assertEquals(Math.max(x.get(a), y.get(a)), xy.get(a));
            }
        }
    }

    @Test
    void withIsJoinWithOneEntry() {
        Random rnd = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            VersionVector x = random(rnd);
            Dot d = new Dot(ACTORS[rnd.nextInt(ACTORS.length)], 1 + rnd.nextInt(5));
            VersionVector w = x.with(d);
            assertEquals(x.join(vv(d.actor(), d.counter())), w);
            assertTrue(w.covers(d));
            assertEquals(x.covers(d), w.equals(x));
        }
    }

    @Test
    void coversAndGet() {
        VersionVector x = vv("a", 3);
        assertTrue(x.covers(new Dot("a", 3)));
        assertTrue(x.covers(new Dot("a", 1)));
        assertFalse(x.covers(new Dot("a", 4)));
        assertFalse(x.covers(new Dot("b", 1)));
        assertEquals(0, x.get("b"));
        assertFalse(VersionVector.empty().covers(new Dot("a", 1)));
    }

    @Test
    void ofRejectsInvalidEntries() {
        assertThrows(IllegalArgumentException.class, () -> vv("a", 0));
        assertThrows(IllegalArgumentException.class, () -> vv("a", -1));
        assertThrows(IllegalArgumentException.class, () -> vv("", 1));
        assertThrows(IllegalArgumentException.class, () -> vv("x".repeat(256), 1));
        Map<String, Long> nullCounter = new HashMap<>();
        nullCounter.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> VersionVector.of(nullCounter));
        assertSame(VersionVector.empty(), VersionVector.of(Map.of()));
    }

    @Test
    void asMapIsSortedAndUnmodifiable() {
        VersionVector x = vv("c", 1, "a", 2, "b", 3);
        assertEquals(List.of("a", "b", "c"), List.copyOf(x.asMap().keySet()));
        assertEquals(new TreeMap<>(Map.of("a", 2L, "b", 3L, "c", 1L)), x.asMap());
        assertThrows(UnsupportedOperationException.class, () -> x.asMap().put("d", 1L));
        assertEquals(3, x.size());
        assertFalse(x.isEmpty());
        assertTrue(VersionVector.empty().isEmpty());
        assertEquals("{a=2, b=3, c=1}", x.toString());
    }

    @Test
    void equalsAndHashCode() {
        assertEquals(vv("a", 1, "b", 2), vv("b", 2, "a", 1));
        assertEquals(vv("a", 1, "b", 2).hashCode(), vv("b", 2, "a", 1).hashCode());
        assertNotEquals(vv("a", 1), vv("a", 2));
        assertNotEquals(vv("a", 1), vv("b", 1));
    }

    @Test
    void dotValidates() {
        assertThrows(IllegalArgumentException.class, () -> new Dot("", 1));
        assertThrows(IllegalArgumentException.class, () -> new Dot("a", 0));
        assertThrows(NullPointerException.class, () -> new Dot(null, 1));
        assertEquals(255, new Dot("é".repeat(127) + "x", 1).actor().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThrows(IllegalArgumentException.class, () -> new Dot("é".repeat(128), 1));
    }

    /** A vector with holes: a random plain vector with a few of its covered dots taken out. */
    static VersionVector randomWithHoles(Random rnd) {
        VersionVector v = random(rnd);
        for (int k = rnd.nextInt(4); k > 0; k--) {
            v = v.without(new Dot(ACTORS[rnd.nextInt(ACTORS.length)], 1 + rnd.nextInt(4)));
        }
        return v;
    }

    /** The model: the set of dots a vector covers (counters stay below 6 in these tests). */
    private static Set<Dot> dots(VersionVector v) {
        Set<Dot> out = new HashSet<>();
        for (String a : ACTORS) {
            for (long c = 1; c < 6; c++) {
                if (v.covers(new Dot(a, c))) {
                    out.add(new Dot(a, c));
                }
            }
        }
        return out;
    }

    @Test
    void vectorsWithHolesBehaveAsTheSetsOfDotsTheyCover() {
        Random rnd = new Random(7);
        int withHoles = 0;
        for (int i = 0; i < 5_000; i++) {
            VersionVector x = randomWithHoles(rnd);
            VersionVector y = randomWithHoles(rnd);
            withHoles += x.hasHoles() ? 1 : 0;
            Set<Dot> union = new HashSet<>(dots(x));
            union.addAll(dots(y));
            assertEquals(union, dots(x.join(y)), x + " join " + y);
            assertEquals(x.join(y), y.join(x));
            boolean le = dots(y).containsAll(dots(x));
            boolean ge = dots(x).containsAll(dots(y));
            Causality expected = le && ge ? Causality.EQUAL : le ? Causality.BEFORE : ge ? Causality.AFTER : Causality.CONCURRENT;
            assertEquals(expected, x.compare(y), x + " vs " + y);
            // One representation per set of dots: equal sets are equal vectors.
            assertEquals(dots(x).equals(dots(y)), x.equals(y), x + " equals " + y);
            Dot d = new Dot(ACTORS[rnd.nextInt(ACTORS.length)], 1 + rnd.nextInt(5));
            Set<Dot> removed = new HashSet<>(dots(x));
            removed.remove(d);
            assertEquals(removed, dots(x.without(d)), x + " without " + d);
            // The maximum stays covered: get() is the highest covered counter.
            for (String a : ACTORS) {
                long max = x.get(a);
                assertTrue(max == 0 || x.covers(new Dot(a, max)), x + " max of " + a);
            }
        }
        assertTrue(withHoles > 500, "too few vectors with holes: " + withHoles);
    }

    @Test
    void holesShowInToStringButNotInTheInformativeClock() {
        VersionVector v = vv("n1", 12).without(new Dot("n1", 10));
        assertEquals("{n1=12 except [10]}", v.toString());
        assertEquals(Map.of("n1", 12L), v.asMap());
        assertFalse(v.covers(new Dot("n1", 10)));
        assertTrue(v.covers(new Dot("n1", 11)));
        assertEquals(vv("n1", 9), vv("n1", 12).without(new Dot("n1", 11)).without(new Dot("n1", 10))
                .without(new Dot("n1", 12)));
        assertEquals(vv("n1", 12), v.with(new Dot("n1", 10)));
        assertEquals(VersionVector.empty(), vv("n1", 1).without(new Dot("n1", 1)));
    }
}
