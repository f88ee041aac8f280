package io.ringkv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

  /** RFC 9110's IMF-fixdate, the only form an HTTP sender may generate. */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  @Test
  void formatsWholeSecondsAndNeverAnswersWithAnOtherSecondsDate() {
    HttpDates dates = new HttpDates();
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", dates.format(0));
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", dates.format(999));
    assertEquals("Thu, 01 Jan 1970 00:00:01 GMT", dates.format(1000));
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", dates.format(0), "going back a second");
    Random random = new Random(7);
    long ms = 1_790_000_000_000L;
    for (int i = 0; i < 10_000; i++) {
      ms += random.nextInt(3) == 0 ? -random.nextInt(3000) : random.nextInt(700);
      assertEquals(IMF_FIXDATE.format(Instant.ofEpochMilli(ms)), dates.format(ms), "at " + ms);
    }
  }

  @Test
  void everyDayOfTheCalendarMatchesJavaTime() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      // 1970 to 9999, any second of any day: leap years, month ends, single-digit days and hours.
      long second = Math.floorMod(random.nextLong(), 253_402_300_800L);
      assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(second)), HttpDates.imfFixdate(second), "at " + second);
    }
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.imfFixdate(784_111_777L), "RFC 9110's example");
    assertEquals("Fri, 31 Dec 9999 23:59:59 GMT", HttpDates.imfFixdate(253_402_300_799L));
  }
}
