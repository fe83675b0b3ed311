package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The dates composed by hand (every GET and every member of a PROPFIND sends them) must agree
 * with java.time's formatters for any instant: across days, months, leap years, before 1970 and
 * at the edges of the range they handle themselves.
 */
class DatesTest {
  @Test
  void httpDate_agreesWithTheFormatter_forAnyInstant() {
    agrees(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US),
        HttpDates::format);
  }

  @Test
  void creationDate_agreesWithTheFormatter_forAnyInstant() {
    agrees(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'"), LiveProps::creationDate);
  }

  private static void agrees(DateTimeFormatter pattern, Function<Instant, String> byHand) {
    DateTimeFormatter reference = pattern.withZone(ZoneOffset.UTC);
    Random random = new Random(1201);
    long lo = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    long hi = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    List<Instant> cases = new ArrayList<>(List.of(Instant.EPOCH,
        Instant.ofEpochSecond(-1), Instant.ofEpochSecond(lo), Instant.ofEpochSecond(hi),
        Instant.ofEpochSecond(lo - 1), Instant.ofEpochSecond(hi + 1),
        Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("1900-03-01T00:00:00Z")));
    for (int i = 0; i < 100_000; i++) {
      cases.add(Instant.ofEpochSecond(lo + Math.floorMod(random.nextLong(), hi - lo + 1),
          random.nextInt(1_000_000_000)));
    }
    for (Instant t : cases) {
      assertEquals(reference.format(t), byHand.apply(t), t.toString());
    }
  }
}
