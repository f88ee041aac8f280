package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

  @Test
  void formatsWholeSecondsAndNeverAnswersWithAnOtherSecondsDate() {
    HttpDates dates = new HttpDates();
    assertEquals("Thu, 1 Jan 1970 00:00:00 GMT", dates.format(0));
    assertEquals("Thu, 1 Jan 1970 00:00:00 GMT", dates.format(999));
    assertEquals("Thu, 1 Jan 1970 00:00:01 GMT", dates.format(1000));
    assertEquals("Thu, 1 Jan 1970 00:00:00 GMT", dates.format(0), "going back a second");
    Random random = new Random(7);
    long ms = 1_790_000_000_000L;
    for (int i = 0; i < 10_000; i++) {
      ms += random.nextInt(3) == 0 ? -random.nextInt(3000) : random.nextInt(700);
      String expected = DateTimeFormatter.RFC_1123_DATE_TIME.format(
          Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC).withNano(0));
      assertEquals(expected, dates.format(ms), "at " + ms);
    }
  }
}
