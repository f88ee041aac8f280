package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure request parsers behind the HTTP API: keys and query parameters. */
class RequestParsingTest {

  @Test
  void keysArePercentDecodedExactly() {
    assertArrayEquals("user/42".getBytes(StandardCharsets.UTF_8), KeyPath.decode("user%2F42"));
    assertArrayEquals("a+b c".getBytes(StandardCharsets.UTF_8), KeyPath.decode("a+b%20c"));
    assertArrayEquals("café".getBytes(StandardCharsets.UTF_8), KeyPath.decode("caf%c3%a9"));
    assertArrayEquals("..".getBytes(StandardCharsets.UTF_8), KeyPath.decode("%2E%2E"));
    // Raw UTF-8 bytes in the request line arrive as ISO-8859-1 characters.
    assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), KeyPath.decode("\u00c3\u00a9"));
  }

  @Test
  void badKeysAreRefused() {
    for (String bad : new String[] {"", "%", "%4", "%G0", "%FF", "%C3%28", "%ED%A0%80", "k".repeat(1025)}) {
      assertThrows(BadRequestException.class, () -> KeyPath.decode(bad), bad);
    }
    assertEquals(1024, KeyPath.decode("k".repeat(1024)).length);
  }

  @Test
  void quorumsAcceptNumbersAndWords() {
    assertEquals(2, RequestParams.quorum("r", null, 3, 2));
    assertEquals(1, RequestParams.quorum("r", null, 1, 2), "a default above n is capped at n");
    assertEquals(1, RequestParams.quorum("r", "one", 3, 2));
    assertEquals(2, RequestParams.quorum("r", "quorum", 3, 2));
    assertEquals(3, RequestParams.quorum("r", "quorum", 5, 2));
    assertEquals(5, RequestParams.quorum("w", "all", 5, 2));
    assertEquals(3, RequestParams.quorum("w", "3", 3, 2));
    for (String bad : new String[] {"0", "4", "-1", "x", "", "1.0", "2147483648"}) {
      assertThrows(BadRequestException.class, () -> RequestParams.quorum("r", bad, 3, 2), bad);
    }
  }

  @Test
  void aParameterIsTakenOnceOrRefusedByName() {
    assertEquals(null, RequestParams.single("r", List.of()));
    assertEquals("2", RequestParams.single("r", List.of("2")));
    assertEquals("", RequestParams.single("r", List.of("")));
    for (List<String> twice : List.of(List.of("1", "abc"), List.of("1", "1"), List.of("", ""), List.of("1", "2", "3"))) {
      BadRequestException e = assertThrows(BadRequestException.class, () -> RequestParams.single("w", twice));
      assertEquals("query parameter 'w' is given " + twice.size() + " times; give it once", e.getMessage());
    }
  }

  @Test
  void timeoutsAndBooleans() {
    assertEquals(5000, RequestParams.timeout(null, 5000));
    assertEquals(250, RequestParams.timeout("250", 5000));
    assertThrows(BadRequestException.class, () -> RequestParams.timeout("0", 5000));
    assertThrows(BadRequestException.class, () -> RequestParams.timeout("60001", 5000));
    assertEquals(true, RequestParams.bool("sloppy", null, true));
    assertEquals(false, RequestParams.bool("sloppy", "FALSE", true));
    assertThrows(BadRequestException.class, () -> RequestParams.bool("sloppy", "1", true));
  }

  /** Property: the hand-written validator agrees with the JDK's strict decoder on random input. */
  @Test
  void utf8CheckAgreesWithTheJdkDecoder() {
    java.util.Random random = new java.util.Random(11);
    for (int run = 0; run < 200_000; run++) {
      byte[] bytes;
      if (run % 3 == 0) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
          sb.appendCodePoint(random.nextInt(3) == 0 ? random.nextInt(0x80) : random.nextInt(0x10ffff));
        }
        bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      } else {
        bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
      }
      assertEquals(jdk(bytes), io.ringkv.version.Utf8.isValid(bytes), java.util.HexFormat.of().formatHex(bytes));
    }
  }

  private static boolean jdk(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }
}
