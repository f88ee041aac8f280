package io.ringkv.api;

import io.ringkv.version.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw (still percent-encoded) path after {@code /kv/} into key bytes, strictly: every
 * {@code %XX} is decoded, {@code +} stays {@code +}, the result must be 1..1024 bytes of valid
 * UTF-8. Decoding ourselves keeps keys such as {@code a/b}, {@code ..} and invalid UTF-8 exact
 * instead of letting the router normalise or replace them.
 */
public final class KeyPath {
  public static final int MAX_KEY_BYTES = 1024;

  private KeyPath() {}

  public static byte[] decode(String rawSegment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rawSegment.length());
    for (int i = 0; i < rawSegment.length(); i++) {
      char c = rawSegment.charAt(i);
      if (c == '%') {
        if (i + 2 >= rawSegment.length()) {
          throw new BadRequestException("key has an incomplete percent-escape");
        }
        int hi = Character.digit(rawSegment.charAt(i + 1), 16);
        int lo = Character.digit(rawSegment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new BadRequestException("key has an invalid percent-escape");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c <= 0xff) {
        // The request line arrives as ISO-8859-1: raw UTF-8 bytes map back one to one.
        out.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
      }
    }
    byte[] key = out.toByteArray();
    validate(key);
    return key;
  }

  public static void validate(byte[] key) {
    if (key.length == 0) {
      throw new BadRequestException("key must not be empty");
    }
    if (key.length > MAX_KEY_BYTES) {
      throw new BadRequestException("key is " + key.length + " bytes; the limit is " + MAX_KEY_BYTES);
    }
    if (!Utf8.isValid(key)) {
      throw new BadRequestException("key is not valid UTF-8");
    }
  }

}
