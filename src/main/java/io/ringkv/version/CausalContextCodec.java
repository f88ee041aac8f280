package io.ringkv.version;

import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The {@code X-Context} token: a {@link VersionVector} a client got from a read and sends back
 * with its next write.
 *
 * <p>Byte layout before base64 (varints are unsigned LEB128, shortest form, as in
 * {@link SiblingSetCodec}):
 * <pre>
 * offset 0      format version, 1 byte, = 2
 *               entry count, varint, 0..1024
 *               per entry, actors strictly increasing by String.compareTo:
 *                 actor length, varint, 1..255
 *                 actor, UTF-8 bytes (strictly valid)
 *                 counter, varint, &gt;= 1
 *                 hole count, varint, then each hole as its gap from the previous one (the
 *                 {@code entry} of {@link SiblingSetCodec}); format 1 tokens, without hole
 *                 counts, are still accepted
 * last 4 bytes  CRC32C (Castagnoli) of every byte before it, big-endian
 * </pre>
 * The bytes are then encoded as base64url without padding (RFC 4648 section 5, alphabet
 * {@code A-Z a-z 0-9 - _}). The empty context is a valid 6-byte (8-character) token; the empty
 * string is not. Tokens are capped at {@value #MAX_TOKEN_CHARS} characters.
 *
 * <p>The CRC detects every single-byte alteration and any burst up to 32 bits, so a token that
 * was cut, edited or invented is refused instead of superseding versions the client never saw.
 * It is not a MAC: a client can still forge a well-formed context on purpose, which only lets it
 * overwrite data it could overwrite anyway with a plain read.
 */
public final class CausalContextCodec {
    public static final int FORMAT_VERSION = 2;
    private static final int FORMAT_VERSION_NO_HOLES = 1;
    public static final int MAX_ENTRIES = 1024;
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final int CRC_BYTES = 4;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private CausalContextCodec() {
    }

    /** @throws IllegalArgumentException if {@code context} has more than {@value #MAX_ENTRIES} entries */
    public static String encode(VersionVector context) {
        if (context.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("context has more than " + MAX_ENTRIES + " entries");
        }
        ByteWriter w = new ByteWriter(1 + SiblingSetCodec.vectorSize(context) + CRC_BYTES);
        w.writeByte(FORMAT_VERSION);
        SiblingSetCodec.writeVector(w, context);
        w.writeInt(crc(w.buffer(), w.position()));
        return ENCODER.encodeToString(w.toArray());
    }

    public static VersionVector decode(String token) throws InvalidContextException {
        byte[] bytes = base64(token);
        if (bytes.length < 1 + 1 + CRC_BYTES) {
            throw invalid("truncated");
        }
        int format = bytes[0] & 0xFF;
        if (format != FORMAT_VERSION && format != FORMAT_VERSION_NO_HOLES) {
            throw invalid("unsupported format version");
        }
        int payload = bytes.length - CRC_BYTES;
        ByteReader crcReader = new ByteReader(bytes, payload, bytes.length);
        if (crcReader.readInt() != crc(bytes, payload)) {
            throw invalid("checksum mismatch");
        }
        try {
            ByteReader r = new ByteReader(bytes, 1, payload);
            VersionVector v = SiblingSetCodec.readVector(r, MAX_ENTRIES, format == FORMAT_VERSION);
            r.expectEnd();
            return v;
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static byte[] base64(String token) throws InvalidContextException {
        if (token == null || token.isEmpty()) {
            throw invalid("missing");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid("too long");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw invalid("not base64url without padding");
            }
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("bad base64 length");
        }
        // The JDK ignores the unused low bits of the last character; re-encoding makes those
        // variants (which would otherwise be "altered yet accepted") fail.
        if (!ENCODER.encodeToString(bytes).equals(token)) {
            throw invalid("non-canonical base64");
        }
        return bytes;
    }

    private static int crc(byte[] b, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, len);
        return (int) crc.getValue();
    }

    private static InvalidContextException invalid(String reason) {
        return new InvalidContextException("invalid context token: " + reason);
    }
}
