package io.ringkv.version;

/**
 * Writes into a byte array sized exactly in advance (callers sum the {@code *Size} helpers), so
 * an encode is one allocation and one pass: no growing buffer, no final copy.
 *
 * <p>Varints are unsigned LEB128 (7 bits per byte, least significant group first, high bit set on
 * every byte but the last). Fixed-width integers are big-endian.
 */
final class ByteWriter {
    private final byte[] buf;
    private int pos;

    ByteWriter(int size) {
        this.buf = new byte[size];
    }

    static int varLongSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** UTF-8 length of {@code s}; a lone surrogate counts as one byte ('?'), as the JDK encodes it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Size of a length-prefixed UTF-8 string. */
    static int stringSize(String s) {
        int len = utf8Length(s);
        return varLongSize(len) + len;
    }

    void writeByte(int b) {
        buf[pos++] = (byte) b;
    }

    void writeVarLong(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void writeLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    void writeInt(int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    void writeString(String s) {
        writeVarLong(utf8Length(s));
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[pos++] = (byte) '?';
            } else {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    void writeBytes(byte[] b) {
        writeVarLong(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    int position() {
        return pos;
    }

    byte[] buffer() {
        return buf;
    }

    /** The finished array; fails loudly if the precomputed size was wrong. */
    byte[] toArray() {
        if (pos != buf.length) {
            throw new IllegalStateException("encoded " + pos + " bytes into a buffer of " + buf.length);
        }
        return buf;
    }
}
