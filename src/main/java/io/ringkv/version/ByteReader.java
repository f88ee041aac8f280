package io.ringkv.version;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bounds-checked reader for the formats {@link ByteWriter} produces. Every length is checked
 * against the bytes that remain before anything is allocated, and every problem is an
 * {@link IllegalArgumentException} with a short message that never includes the input.
 */
final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    ByteReader(byte[] buf, int offset, int end) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    int remaining() {
        return end - pos;
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    /** Unsigned LEB128; rejects overflow and over-long encodings (so each value has one form). */
    long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            if (shift == 63 && (b & 0x7E) != 0) {
                throw new IllegalArgumentException("varint overflows 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new IllegalArgumentException("over-long varint");
                }
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    /** A varint in [0, max]. */
    int readVarInt(int max, String what) {
        long v = readVarLong();
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " out of range");
        }
        return (int) v;
    }

    long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    int readInt() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    /** A length-prefixed, strictly valid UTF-8 string of at most {@code maxBytes} bytes. */
    String readString(int maxBytes, String what) {
        int len = readVarInt(maxBytes, what + " length");
        need(len);
        int start = pos;
        pos += len;
        boolean ascii = true;
        for (int i = start; i < pos && ascii; i++) {
            ascii = buf[i] >= 0;
        }
        if (ascii) {
            return new String(buf, start, len, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, start, len)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8");
        }
    }

    /** A length-prefixed byte string, copied out (the input buffer may be reused by the caller). */
    byte[] readBytes(String what) {
        int len = readVarInt(Integer.MAX_VALUE - 8, what + " length");
        need(len);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }

    int position() {
        return pos;
    }

    /** Moves past {@code n} bytes without reading them. */
    void skip(int n) {
        need(n);
        pos += n;
    }

    /** The byte at an absolute index already read past (for hashing a field in place). */
    int byteAt(int index) {
        return buf[index] & 0xFF;
    }

    void expectEnd() {
        if (pos != end) {
            throw new IllegalArgumentException("trailing bytes");
        }
    }

    private void need(int n) {
        if (n > end - pos) {
            throw new IllegalArgumentException("truncated");
        }
    }
}
