package dev.depthdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4918 §10.7 Timeout values, with a 1 hour default and a 1 day maximum. */
class TimeoutTest {
  static final Duration DFLT = Duration.ofHours(1);
  static final Duration MAX = Duration.ofDays(1);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "good: absent -> default                  | NULL                           | 3600",
        "good: empty -> default                   | ''                             | 3600",
        "good: Second-n                           | Second-120                     | 120",
        "good: Infinite -> maximum                | Infinite                       | 86400",
        "good: RFC §10.7 example, first is taken  | 'Infinite, Second-4100000000'  | 86400",
        "good: first of two finite values         | 'Second-30, Second-60'         | 30",
        "good: above maximum is capped            | Second-4100000000              | 86400",
        "good: above 2^32-1 is capped             | Second-99999999999             | 86400",
        "good: unknown skipped                    | 'Fortnight, Second-60'         | 60",
        "good: malformed number skipped           | 'Second-1x, Second-7'          | 7",
        "good: nothing usable -> default          | Fortnight                      | 3600",
        "good: signed number -> default           | Second-+5                      | 3600",
        "good: negative number -> default         | Second--5                      | 3600",
        "good: no number -> default               | Second-                        | 3600",
        "good: Second-0 is one second             | Second-0                       | 1",
        "good: names are case-insensitive         | 'second-5, INFINITE'           | 5",
        "good: LWS around entries                 | '  Second-9 ,  Infinite '      | 9",
        "good: empty entries skipped              | ', , Second-11'                | 11",
      })
  void parse(String name, String header, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), Timeout.parse(header, DFLT, MAX));
  }

  @Test
  void parse_defaultAboveMax_isCapped() {
    assertEquals(MAX, Timeout.parse(null, Duration.ofDays(7), MAX));
  }

  @Test
  void parse_hugeMax_stopsAt2pow32minus1() {
    Duration huge = Duration.ofDays(1_000_000);
    assertEquals(Duration.ofSeconds(4294967295L), Timeout.parse("Second-99999999999", DFLT, huge));
    assertEquals(Duration.ofSeconds(4294967295L), Timeout.parse("Second-4294967296", DFLT, huge));
  }

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource({"3600000, Second-3600", "1500, Second-2", "1, Second-1", "0, Second-0",
      "-5, Second-0"})
  void format_roundsUpNeverNegative(long millis, String expected) {
    assertEquals(expected, Timeout.format(Duration.ofMillis(millis)));
    assertEquals(expected, Timeout.format(Duration.ofMillis(millis), false));
  }

  @Test
  void format_infinite() {
    assertEquals("Infinite", Timeout.format(Duration.ZERO, true));
  }
}
