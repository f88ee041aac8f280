package io.ringkv.version;

import static io.ringkv.version.ConflictMode.LWW;
import static io.ringkv.version.ConflictMode.SIBLINGS;
import static io.ringkv.version.VersionVectorTest.vv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SiblingSetTest {

    private static Version put(SiblingSet at, String actor, VersionVector ctx, long ts, String value) {
        return new Version(at.nextDot(actor, ctx), ctx, ts, false, "text/plain", value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(SiblingSet s) {
        return s.live().stream().map(v -> new String(v.value(), StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    @Test
    void twoBlindWritesOnOneCoordinatorBecomeSiblings() {
        SiblingSet s = SiblingSet.empty();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 10, "x"), SIBLINGS);
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 11, "y"), SIBLINGS);
        assertEquals(List.of("x", "y"), values(s));
        assertEquals(vv("n1", 2), s.context());
        assertEquals(2, s.maxCounter("n1"));
        assertEquals(0, s.maxCounter("n2"));
    }

    @Test
    void writeWithContextOfBothSiblingsLeavesOneVersion() {
        SiblingSet s = SiblingSet.empty();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 10, "x"), SIBLINGS);
        s = s.applyWrite(put(s, "n2", VersionVector.empty(), 11, "y"), SIBLINGS);
        VersionVector read = s.context();
        s = s.applyWrite(put(s, "n3", read, 12, "merged"), SIBLINGS);
        assertEquals(List.of("merged"), values(s));
        assertEquals(vv("n1", 1, "n2", 1, "n3", 1), s.context());
    }

    @Test
    void contextWriteSupersedesOnlyWhatTheReadSaw() {
        SiblingSet s = SiblingSet.empty();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 10, "x"), SIBLINGS);
        VersionVector read = s.context();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 11, "concurrent"), SIBLINGS);
        s = s.applyWrite(put(s, "n1", read, 12, "update"), SIBLINGS);
        assertEquals(List.of("concurrent", "update"), values(s));
        assertEquals(new Dot("n1", 3), s.versions().get(1).dot());
    }

    /**
     * The context of a 204 excludes the concurrent sibling the writer never saw, so a client that
     * keeps writing with the context each write returns replaces only its own version: the
     * sibling survives and the key does not collect one more sibling per write.
     */
    @Test
    void writingAgainWithTheContextOfEachWriteKeepsTheUnseenSiblingAndNothingElse() {
        SiblingSet s = SiblingSet.empty();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 10, "other client"), SIBLINGS);
        VersionVector ctx = VersionVector.empty(); // our client starts blind
        String token = null;
        for (int i = 0; i < 200; i++) {
            String coordinator = i % 3 == 2 ? "n2" : "n1"; // also through another coordinator
            Version mine = put(s, coordinator, ctx, 11 + i, "mine " + i);
            s = s.applyWrite(mine, SIBLINGS);
            ctx = s.contextAfterWrite(mine);
            assertEquals(List.of("other client", "mine " + i), values(s), "after write " + i);
            assertFalse(ctx.covers(s.versions().get(0).dot()), "context covers the unseen sibling: " + ctx);
            assertTrue(ctx.covers(mine.dot()));
            String t = CausalContextCodec.encode(ctx);
            assertTrue(token == null || t.length() <= token.length() + 4, "token grows: " + t);
            token = i == 5 ? t : token;
        }
        // Once the client reads both, one write resolves the conflict.
        Version merged = put(s, "n1", s.context(), 500, "merged");
        assertEquals(List.of("merged"), values(s.applyWrite(merged, SIBLINGS)));
    }

    @Test
    void contextAfterWriteIsTheExactClockWhenNothingConcurrentExists() {
        SiblingSet s = SiblingSet.empty();
        Version first = put(s, "n1", VersionVector.empty(), 10, "a");
        s = s.applyWrite(first, SIBLINGS);
        assertEquals(vv("n1", 1), s.contextAfterWrite(first));
        Version second = put(s, "n1", s.contextAfterWrite(first), 11, "b");
        s = s.applyWrite(second, SIBLINGS);
        assertEquals(List.of("b"), values(s));
        assertEquals(vv("n1", 2), s.contextAfterWrite(second));
        assertFalse(s.contextAfterWrite(second).hasHoles());
    }

    @Test
    void tombstonesAreVersionsLikeAnyOther() {
        SiblingSet s = SiblingSet.empty();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 10, "x"), SIBLINGS);
        VersionVector read = s.context();
        SiblingSet deleted = s.applyWrite(Version.tombstone(s.nextDot("n2", read), read, 11), SIBLINGS);
        assertEquals(1, deleted.size());
        assertFalse(deleted.hasLiveValue());
        assertTrue(deleted.live().isEmpty());
        assertEquals(vv("n1", 1, "n2", 1), deleted.context());

        // A delete concurrent with a write stays beside it as a sibling.
        SiblingSet concurrent = s.applyWrite(put(s, "n1", VersionVector.empty(), 12, "y"), SIBLINGS)
                .merge(deleted, SIBLINGS);
        assertEquals(2, concurrent.size());
        assertEquals(List.of("y"), values(concurrent));
        assertTrue(concurrent.versions().stream().anyMatch(Version::tombstone));

        // A write after reading the tombstone supersedes it.
        SiblingSet revived = deleted.applyWrite(put(deleted, "n3", deleted.context(), 13, "z"), SIBLINGS);
        assertEquals(List.of("z"), values(revived));
        assertEquals(1, revived.size());
    }

    @Test
    void ofNormalisesRegardlessOfInputOrder() {
        Version a = new Version(new Dot("n1", 1), VersionVector.empty(), 5, false, "t", new byte[] {1});
        Version b = new Version(new Dot("n2", 1), vv("n1", 1), 4, false, "t", new byte[] {2});
        Version c = new Version(new Dot("n3", 1), VersionVector.empty(), 4, false, "t", new byte[] {3});
        Version d = Version.tombstone(new Dot("n1", 2), VersionVector.empty(), 4);
        List<Version> input = new ArrayList<>(List.of(a, b, c, d, c, b));
        SiblingSet expected = SiblingSet.of(input);
        assertEquals(List.of(d, b, c), expected.versions()); // a superseded by b; order ts, actor, counter
        Random rnd = new Random(4);
        for (int i = 0; i < 100; i++) {
            Collections.shuffle(input, rnd);
            assertEquals(expected, SiblingSet.of(input));
        }
        assertSame(SiblingSet.empty(), SiblingSet.of(List.of()));
    }

    @Test
    void applyWriteIsIdempotentAndRejectsStaleOrReusedDots() {
        SiblingSet s = SiblingSet.empty();
        Version x = put(s, "n1", VersionVector.empty(), 10, "x");
        s = s.applyWrite(x, SIBLINGS);
        assertSame(s, s.applyWrite(x, SIBLINGS));
        SiblingSet finalS = s;
        Version reused = new Version(x.dot(), VersionVector.empty(), 10, false, "text/plain", new byte[] {9});
        assertThrows(IllegalArgumentException.class, () -> finalS.applyWrite(reused, SIBLINGS));
        SiblingSet withY = s.applyWrite(put(s, "n2", s.context(), 11, "y"), SIBLINGS); // supersedes x
        assertThrows(IllegalArgumentException.class, () -> withY.applyWrite(x, SIBLINGS));
    }

    @Test
    void versionRejectsSelfCoveringPastAndTombstoneValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new Version(new Dot("n1", 2), vv("n1", 2), 1, false, "t", new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new Version(new Dot("n1", 1), VersionVector.empty(), 1, true, "", new byte[] {1}));
        Version t = new Version(new Dot("n1", 1), VersionVector.empty(), 1, true, null, null);
        assertEquals(0, t.value().length);
        assertEquals("", t.contentType());
        assertEquals(vv("n1", 1, "n2", 3), new Version(new Dot("n1", 1), vv("n2", 3), 1, false, "t", null).clock());
    }

    @Test
    void mergeLawsHoldOnArbitraryRandomSets() {
        Random rnd = new Random(5);
        for (int i = 0; i < 500; i++) {
            SiblingSet a = randomSet(rnd);
            SiblingSet b = randomSet(rnd);
            assertEquals(a.merge(b, SIBLINGS), b.merge(a, SIBLINGS));
            assertEquals(a, a.merge(a, SIBLINGS));
            assertEquals(a, a.merge(SiblingSet.empty(), SIBLINGS));
            assertEquals(a, SiblingSet.empty().merge(a, SIBLINGS));
            assertEquals(a.merge(b, LWW), b.merge(a, LWW));
            assertTrue(a.merge(b, LWW).merge(randomSet(rnd), LWW).size() <= 1);
        }
    }

    /**
     * Associativity needs causally consistent inputs (with arbitrary pasts, "covered by" is not
     * transitive), so the triples come from states replicas really reached in a simulation.
     */
    @Test
    void mergeIsCommutativeAssociativeIdempotentOnReachableStates() {
        Random rnd = new Random(6);
        int checked = 0;
        for (long seed = 0; seed < 40; seed++) {
            List<SiblingSet> states = new ReplicaSimulation(seed, SIBLINGS).run(40).observedStates();
            for (int i = 0; i < 50 && !states.isEmpty(); i++) {
                SiblingSet a = states.get(rnd.nextInt(states.size()));
                SiblingSet b = states.get(rnd.nextInt(states.size()));
                SiblingSet c = states.get(rnd.nextInt(states.size()));
                assertEquals(a.merge(b, SIBLINGS).merge(c, SIBLINGS), a.merge(b.merge(c, SIBLINGS), SIBLINGS));
                assertEquals(a.merge(b, SIBLINGS), b.merge(a, SIBLINGS));
                assertEquals(a.merge(b, SIBLINGS), a.merge(b, SIBLINGS).merge(b, SIBLINGS));
                assertEquals(a.merge(b, LWW).merge(c, LWW), a.merge(b.merge(c, LWW), LWW));
                checked++;
            }
        }
        assertTrue(checked > 1_000, "checked " + checked);
    }

    @Test
    void lwwPicksHighestTimestampThenActorThenCounter() {
        Version early = new Version(new Dot("n9", 9), VersionVector.empty(), 10, false, "t", null);
        Version lateN1 = new Version(new Dot("n1", 5), VersionVector.empty(), 20, false, "t", null);
        Version lateN2 = new Version(new Dot("n2", 1), VersionVector.empty(), 20, false, "t", null);
        Version lateN2b = Version.tombstone(new Dot("n2", 2), VersionVector.empty(), 20);
        SiblingSet all = SiblingSet.of(List.of(lateN2, early, lateN2b, lateN1));
        assertEquals(4, all.size());
        assertEquals(List.of(lateN2b), all.resolveLww().versions());
        assertEquals(List.of(lateN2), SiblingSet.of(List.of(lateN1, lateN2, early)).resolveLww().versions());
        SiblingSet single = SiblingSet.of(List.of(early));
        assertSame(single, single.resolveLww());
    }

    @Test
    void lwwWritesKeepOnlyTheWinner() {
        SiblingSet s = SiblingSet.empty();
        s = s.applyWrite(put(s, "n1", VersionVector.empty(), 20, "new"), LWW);
        s = s.applyWrite(put(s, "n2", VersionVector.empty(), 10, "old"), LWW);
        assertEquals(List.of("new"), values(s));
        s = s.applyWrite(put(s, "n2", VersionVector.empty(), 30, "newer"), LWW);
        assertEquals(List.of("newer"), values(s));
        assertEquals(1, s.size());
    }

    @Test
    void sameVersionsAsComparesDots() {
        Version a = new Version(new Dot("n1", 1), VersionVector.empty(), 1, false, "t", new byte[] {1});
        Version a2 = new Version(new Dot("n1", 1), VersionVector.empty(), 1, false, "t", new byte[] {1});
        Version b = new Version(new Dot("n2", 1), VersionVector.empty(), 1, false, "t", new byte[] {2});
        assertTrue(SiblingSet.of(List.of(a, b)).sameVersionsAs(SiblingSet.of(List.of(b, a2))));
        assertFalse(SiblingSet.of(List.of(a, b)).sameVersionsAs(SiblingSet.of(List.of(a))));
        assertFalse(SiblingSet.of(List.of(a)).sameVersionsAs(SiblingSet.of(List.of(b))));
        assertTrue(SiblingSet.empty().sameVersionsAs(SiblingSet.of(List.of())));
    }

    @Test
    void conflictModeParsesExactSpellings() {
        assertEquals(SIBLINGS, ConflictMode.parse("siblings"));
        assertEquals(LWW, ConflictMode.parse("lww"));
        assertEquals("lww", LWW.configName());
        for (String bad : new String[] {"LWW", "", " lww", "sibling", null}) {
            assertThrows(IllegalArgumentException.class, () -> ConflictMode.parse(bad));
        }
    }

    /** Random versions with random (not necessarily causally consistent) pasts. */
    static SiblingSet randomSet(Random rnd) {
        List<Version> vs = new ArrayList<>();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            vs.add(randomVersion(rnd));
        }
        return SiblingSet.of(vs);
    }

    static Version randomVersion(Random rnd) {
        String actor = ReplicaSimulation.ACTORS[rnd.nextInt(3)];
        Dot dot = new Dot(actor, 1 + rnd.nextInt(4));
        VersionVector past = VersionVector.empty();
        for (String a : ReplicaSimulation.ACTORS) {
            long c = rnd.nextInt(4);
            if (c > 0 && !(a.equals(actor) && c >= dot.counter())) {
                past = past.with(new Dot(a, c));
            }
        }
        boolean tomb = rnd.nextInt(4) == 0;
        byte[] value = tomb ? new byte[0] : new byte[] {(byte) dot.counter(), (byte) actor.charAt(1)};
        return new Version(dot, past, rnd.nextInt(6), tomb, tomb ? "" : "text/plain", value);
    }
}
