package io.ringkv.version;

import static io.ringkv.version.VersionVectorTest.vv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class CausalContextCodecTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static VersionVector randomVector(Random rnd) {
        Map<String, Long> m = new HashMap<>();
        int n = rnd.nextInt(6);
        String[] actors = {"n1", "n2", "node-17", "ä", "日本", "😀x", "z"};
        for (int i = 0; i < n; i++) {
            long c = switch (rnd.nextInt(3)) {
                case 0 -> 1 + rnd.nextInt(10);
                case 1 -> 1 + (rnd.nextLong() >>> 1) % Long.MAX_VALUE;
                default -> Long.MAX_VALUE;
            };
            m.put(actors[rnd.nextInt(actors.length)], c);
        }
        VersionVector v = VersionVector.of(m);
        // Holes: a context that excludes some siblings below an actor's maximum.
        for (String actor : m.keySet()) {
            long max = m.get(actor);
            for (int h = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0; h > 0 && max > 1; h--) {
                v = v.without(new Dot(actor, 1 + (rnd.nextLong() >>> 1) % max));
            }
        }
        return v;
    }

    private static void assertRejected(String token) {
        InvalidContextException e = assertThrows(InvalidContextException.class, () -> CausalContextCodec.decode(token),
                () -> "accepted " + token);
        if (token != null && token.length() > 3) {
            assertFalse(e.getMessage().contains(token), "message echoes the token");
        }
    }

    /** Builds a token from raw payload bytes with a CORRECT checksum, to reach the structural checks. */
    private static String withCrc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        int c = (int) crc.getValue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(payload);
        out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        return B64.encodeToString(out.toByteArray());
    }

    @Test
    void roundTripsRandomVectors() throws Exception {
        Random rnd = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            VersionVector v = randomVector(rnd);
            String token = CausalContextCodec.encode(v);
            assertTrue(token.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0), token);
            assertEquals(v, CausalContextCodec.decode(token));
        }
    }

    @Test
    void emptyContextIsAValidTokenButEmptyStringIsNot() throws Exception {
        String token = CausalContextCodec.encode(VersionVector.empty());
        assertEquals(8, token.length());
        assertEquals(VersionVector.empty(), CausalContextCodec.decode(token));
        assertRejected("");
        assertRejected(null);
    }

    @Test
    void everySingleByteAlterationIsRejected() {
        Random rnd = new Random(12);
        for (int t = 0; t < 5; t++) {
            byte[] bytes = Base64.getUrlDecoder().decode(CausalContextCodec.encode(randomVector(rnd)));
            for (int i = 0; i < bytes.length; i++) {
                for (int delta = 1; delta < 256; delta++) {
                    byte[] altered = bytes.clone();
                    altered[i] = (byte) (altered[i] + delta);
                    assertRejected(B64.encodeToString(altered));
                }
            }
        }
    }

    @Test
    void everySingleCharacterAlterationIsRejected() {
        Random rnd = new Random(13);
        String others = ALPHABET + "=+/ .\n\u00e9";
        for (int t = 0; t < 20; t++) {
            String token = CausalContextCodec.encode(randomVector(rnd));
            for (int i = 0; i < token.length(); i++) {
                for (char c : others.toCharArray()) {
                    if (c != token.charAt(i)) {
                        assertRejected(token.substring(0, i) + c + token.substring(i + 1));
                    }
                }
            }
        }
    }

    @Test
    void everyTruncationAndExtensionIsRejected() {
        Random rnd = new Random(14);
        for (int t = 0; t < 50; t++) {
            String token = CausalContextCodec.encode(randomVector(rnd));
            for (int len = 0; len < token.length(); len++) {
                assertRejected(token.substring(0, len));
            }
            assertRejected(token + "A");
            assertRejected(token + "AA");
            assertRejected(token + "=");
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            for (int len = 0; len < bytes.length; len++) {
                assertRejected(B64.encodeToString(java.util.Arrays.copyOf(bytes, len)));
            }
        }
    }

    @Test
    void randomStringsAndRandomBase64AreRejected() {
        Random rnd = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int j = 0; j < len; j++) {
                sb.append(rnd.nextBoolean() ? ALPHABET.charAt(rnd.nextInt(64)) : (char) rnd.nextInt(0x3000));
            }
            assertRejected(sb.toString());
            byte[] raw = new byte[rnd.nextInt(40)];
            rnd.nextBytes(raw);
            assertRejected(B64.encodeToString(raw));
            assertRejected(Base64.getUrlEncoder().encodeToString(raw) + (raw.length % 3 == 0 ? "=" : ""));
        }
    }

    @Test
    void structurallyInvalidTokensWithValidChecksumAreRejected() throws Exception {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        // Format 1 (no hole counts) is still read; format 2 has a hole count per entry.
        assertEquals(vv("a", 5), CausalContextCodec.decode(withCrc(new byte[] {1, 1, 1, 'a', 5})));
        assertEquals(vv("a", 5), CausalContextCodec.decode(withCrc(new byte[] {2, 1, 1, 'a', 5, 0})));
        assertEquals(vv("a", 5).without(new Dot("a", 2)).without(new Dot("a", 3)),
                CausalContextCodec.decode(withCrc(new byte[] {2, 1, 1, 'a', 5, 2, 2, 1})));
        assertRejected(withCrc(new byte[] {3, 1, 1, 'a', 5, 0}));           // unknown format version
        assertRejected(withCrc(new byte[] {2, 1, 1, 'a', 5}));              // format 2 without hole count
        assertRejected(withCrc(new byte[] {2, 1, 1, 'a', 5, 1, 5}));        // hole not below the counter
        assertRejected(withCrc(new byte[] {2, 1, 1, 'a', 5, 2, 2, 0}));     // holes not increasing
        assertRejected(withCrc(new byte[] {2, 1, 1, 'a', 5, 1, 0}));        // hole 0
        assertRejected(withCrc(new byte[] {2, 1, 1, 'a', 5, 3, 1, 1}));     // hole count beyond data
        assertRejected(withCrc(new byte[] {0, 0}));                          // format version 0
        assertRejected(withCrc(new byte[] {1, 1, 1, 'a', 0}));              // zero counter
        assertRejected(withCrc(new byte[] {1, 1, 0, 1}));                    // empty actor
        assertRejected(withCrc(new byte[] {1, 2, 1, 'a', 1, 1, 'a', 2}));    // duplicate actor
        assertRejected(withCrc(new byte[] {1, 2, 1, 'b', 1, 1, 'a', 2}));    // unsorted actors
        assertRejected(withCrc(new byte[] {1, 1, 1, 'a', 5, 0}));            // trailing byte
        assertRejected(withCrc(new byte[] {1, 2, 1, 'a', 5}));               // count beyond data
        assertRejected(withCrc(new byte[] {1, 1, 1, 'a', (byte) 0x85, 0}));  // over-long varint
        assertRejected(withCrc(new byte[] {1, 1, 2, (byte) 0xC3, 0x28, 1})); // invalid UTF-8 actor
        assertRejected(withCrc(new byte[] {1}));                             // no count at all
        assertEquals(1, a.length);
    }

    @Test
    void limitsAreEnforced() throws Exception {
        ByteArrayOutputStream actor256 = new ByteArrayOutputStream();
        actor256.writeBytes(new byte[] {1, 1, (byte) 0x80, 0x02});
        actor256.writeBytes("x".repeat(256).getBytes(StandardCharsets.US_ASCII));
        actor256.write(1);
        assertRejected(withCrc(actor256.toByteArray()));

        Map<String, Long> big = new HashMap<>();
        for (int i = 0; i < 1025; i++) {
            big.put("n" + i, 1L);
        }
        assertThrows(IllegalArgumentException.class, () -> CausalContextCodec.encode(VersionVector.of(big)));
        big.remove("n0");
        assertEquals(VersionVector.of(big), CausalContextCodec.decode(CausalContextCodec.encode(VersionVector.of(big))));
        ByteArrayOutputStream tooMany = new ByteArrayOutputStream();
        tooMany.writeBytes(new byte[] {1, (byte) 0x81, 0x08}); // 1025 entries
        for (int i = 0; i < 1025; i++) {
            String name = String.format("n%05d", i);
            tooMany.write(name.length());
            tooMany.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            tooMany.write(1);
        }
        assertRejected(withCrc(tooMany.toByteArray()));
        assertRejected("A".repeat(CausalContextCodec.MAX_TOKEN_CHARS + 4));
    }
}
