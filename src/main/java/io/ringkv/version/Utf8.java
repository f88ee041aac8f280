package io.ringkv.version;

/** UTF-8 validation for keys and for choosing how a value is shown in a sibling document. */
public final class Utf8 {
  private Utf8() {}

  /**
   * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). Hand-written
   * because it runs for every value rendered in a sibling document, and the JDK decoder reports
   * invalid input by throwing (a stack trace per binary value).
   */
  public static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min;
      if (b >= 0xc2 && b <= 0xdf) {
        extra = 1;
        min = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        extra = 2;
        min = 0x800;
      } else if (b >= 0xf0 && b <= 0xf4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= n) {
        return false;
      }
      int cp = b & (0x3f >> extra);
      for (int k = 1; k <= extra; k++) {
        int c = bytes[i + k] & 0xff;
        if ((c & 0xc0) != 0x80) {
          return false;
        }
        cp = cp << 6 | c & 0x3f;
      }
      if (cp < min || cp > 0x10ffff || cp >= 0xd800 && cp <= 0xdfff) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}
