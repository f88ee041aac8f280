package io.ringkv.version;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SiblingSetCodecTest {
    private static final String[] TYPES = {"", "text/plain", "application/octet-stream", "text/plain; charset=utf-8",
        "tëxt/ünïcode", "image/😀", "日本語/種類"};

    /** Random normal-form sets: random fields, pasts that never cover their own dot. */
    static SiblingSet randomSet(Random rnd) {
        List<Version> vs = new ArrayList<>();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            Dot dot = new Dot(rnd.nextBoolean() ? "n" + rnd.nextInt(4) : "ä" + rnd.nextInt(3), 1 + (rnd.nextLong() >>> 1) % 1_000_000_000_000L);
            VersionVector past = CausalContextCodecTest.randomVector(rnd);
            if (past.covers(dot)) {
                past = VersionVector.empty();
            }
            boolean tomb = rnd.nextInt(4) == 0;
            byte[] value = new byte[tomb ? 0 : rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(300)];
            rnd.nextBytes(value);
            long ts = rnd.nextBoolean() ? rnd.nextLong() : 1_764_300_000_000L + rnd.nextInt(1000);
            vs.add(new Version(dot, past, ts, tomb, TYPES[rnd.nextInt(TYPES.length)], value));
        }
        return SiblingSet.of(vs);
    }

    @Test
    void roundTripsRandomSets() {
        Random rnd = new Random(21);
        int versions = 0;
        for (int i = 0; i < 3_000; i++) {
            SiblingSet s = randomSet(rnd);
            versions += s.size();
            byte[] b = SiblingSetCodec.encode(s);
            SiblingSet back = SiblingSetCodec.decode(b);
            assertEquals(s, back);
            assertArrayEquals(b, SiblingSetCodec.encode(back));
        }
        assertTrue(versions > 3_000);
        assertEquals(SiblingSet.empty(), SiblingSetCodec.decode(SiblingSetCodec.encode(SiblingSet.empty())));
        assertArrayEquals(new byte[] {2, 0}, SiblingSetCodec.encode(SiblingSet.empty()));
    }

    @Test
    void roundTripsLargeValues() {
        byte[] value = new byte[1 << 20];
        new Random(22).nextBytes(value);
        SiblingSet s = SiblingSet.of(List.of(new Version(new Dot("n1", 1), VersionVector.empty(), 1, false, "x", value)));
        byte[] b = SiblingSetCodec.encode(s);
        assertTrue(b.length > value.length && b.length < value.length + 40);
        assertEquals(s, SiblingSetCodec.decode(b));
    }

    @Test
    void roundTripsVectors() {
        Random rnd = new Random(23);
        for (int i = 0; i < 1_000; i++) {
            VersionVector v = CausalContextCodecTest.randomVector(rnd);
            assertEquals(v, SiblingSetCodec.decodeVector(SiblingSetCodec.encodeVector(v)));
        }
        assertEquals(VersionVector.of(java.util.Map.of("a", 1L)), SiblingSetCodec.decodeVector(new byte[] {1, 1, 'a', 1, 0}));
        assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decodeVector(new byte[] {1, 1, 'a', 1, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decodeVector(new byte[] {1, 1, 'a', 3, 1, 3}));
        assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decodeVector(new byte[0]));
    }

    @Test
    void everyTruncationAndTrailingByteIsRejected() {
        Random rnd = new Random(24);
        for (int i = 0; i < 200; i++) {
            byte[] b = SiblingSetCodec.encode(randomSet(rnd));
            for (int len = 0; len < b.length; len++) {
                byte[] cut = Arrays.copyOf(b, len);
                assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decode(cut), "prefix " + len);
            }
            byte[] longer = Arrays.copyOf(b, b.length + 1);
            assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decode(longer));
        }
    }

    /**
     * A flipped value byte is undetectable by design (no checksum in the record), so corruption
     * must either fail with IllegalArgumentException or decode to a record that re-encodes to the
     * very same bytes: never garbage, never another exception type.
     */
    @Test
    void corruptInputFailsCleanlyOrIsCanonical() {
        Random rnd = new Random(25);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = SiblingSetCodec.encode(randomSet(rnd));
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            assertCleanOrCanonical(b);
            byte[] garbage = new byte[rnd.nextInt(60)];
            rnd.nextBytes(garbage);
            if (garbage.length > 0 && rnd.nextBoolean()) {
                garbage[0] = (byte) (1 + rnd.nextInt(2));
            }
            assertCleanOrCanonical(garbage);
        }
    }

    private static void assertCleanOrCanonical(byte[] b) {
        SiblingSet s;
        try {
            s = SiblingSetCodec.decode(b);
        } catch (IllegalArgumentException expected) {
            return;
        }
        if (b[0] == SiblingSetCodec.FORMAT_VERSION_NO_HOLES) {
            // An old-format record re-encodes in the current format, to the same set.
            assertEquals(s, SiblingSetCodec.decode(SiblingSetCodec.encode(s)));
        } else {
            assertArrayEquals(b, SiblingSetCodec.encode(s));
        }
    }

    @Test
    void specificCorruptionsAreRejected() {
        Version v = new Version(new Dot("n1", 1), VersionVector.empty(), 0, false, "t", new byte[] {7});
        byte[] good = SiblingSetCodec.encode(SiblingSet.of(List.of(v)));
        // 2 | count 1 | 2 'n' '1' | counter 1 | past 0 | ts x8 | flags | 1 't' | 1 7
        assertArrayEquals(new byte[] {2, 1, 2, 'n', '1', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 't', 1, 7}, good);
        assertRejected(good, 0, 3);     // unknown format version
        assertRejected(good, 1, 2);     // version count beyond data
        assertRejected(good, 2, 9);     // actor length beyond data
        assertRejected(good, 5, 0);     // zero counter
        assertRejected(good, 15, 2);    // unknown flag
        assertRejected(good, 15, 1);    // tombstone with a value
        assertRejected(good, 18, 5);    // value length beyond data
        assertRejected(good, 17, 0xFF); // content type not UTF-8
        byte[] dup = {2, 2, 2, 'n', '1', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 't', 1, 7,
            2, 'n', '1', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 't', 1, 7};
        assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decode(dup)); // not normal form
    }

    @Test
    void readsRecordsOfTheFormatBeforeHoles() {
        // format 1 | count 1 | 2 'n' '1' | counter 3 | past: 1 entry 2 'n' '2' counter 4 (no hole count)
        // | ts x8 | flags | 1 't' | 1 7
        byte[] v1 = {1, 1, 2, 'n', '1', 3, 1, 2, 'n', '2', 4, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 't', 1, 7};
        SiblingSet s = SiblingSetCodec.decode(v1);
        Version v = s.versions().get(0);
        assertEquals(new Dot("n1", 3), v.dot());
        assertEquals(VersionVector.of(java.util.Map.of("n2", 4L)), v.past());
        assertEquals(9, v.timestampMs());
        assertEquals(s, SiblingSetCodec.decode(SiblingSetCodec.encode(s)));
        assertEquals(SiblingSetCodec.FORMAT_VERSION, SiblingSetCodec.encode(s)[0]);
    }

    @Test
    void holesInPastsRoundTrip() {
        VersionVector past = VersionVector.of(java.util.Map.of("n1", 9L, "n2", 4L)).without(new Dot("n1", 7));
        Version v = new Version(new Dot("n1", 10), past, 5, false, "t", new byte[] {1});
        SiblingSet s = SiblingSet.of(List.of(v));
        SiblingSet back = SiblingSetCodec.decode(SiblingSetCodec.encode(s));
        assertEquals(s, back);
        assertTrue(!back.versions().get(0).past().covers(new Dot("n1", 7)));
        assertTrue(back.versions().get(0).past().covers(new Dot("n1", 8)));
    }

    private static void assertRejected(byte[] good, int index, int newValue) {
        byte[] bad = good.clone();
        bad[index] = (byte) newValue;
        assertThrows(IllegalArgumentException.class, () -> SiblingSetCodec.decode(bad), "byte " + index);
    }
}
