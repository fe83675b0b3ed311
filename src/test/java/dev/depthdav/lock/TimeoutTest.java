package dev.depthdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4918 §10.7 Timeout values, with a 1h default and a 1 day maximum. */
class TimeoutTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "good: absent -> default                 | NULL                           | 3600",
      "good: Second-n                          | Second-120                     | 120",
      "good: Infinite -> maximum               | Infinite                       | 86400",
      "good: RFC example list, first usable    | 'Infinite, Second-4100000000'  | 86400",
      "good: above maximum is capped           | Second-4100000000              | 86400",
      "good: unknown skipped                   | 'Fortnight, Second-60'         | 60",
      "good: nothing usable -> default         | Fortnight                      | 3600",
      "good: Second-0 is one second            | Second-0                       | 1",
      "good: case-insensitive                  | second-5                       | 5",
  })
  void parse(String name, String header, long seconds) {
    assertEquals(Duration.ofSeconds(seconds),
        Timeout.parse(header, Duration.ofHours(1), Duration.ofDays(1)));
  }

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource({"3600000, Second-3600", "1500, Second-2", "0, Second-0", "-5, Second-0"})
  void format(long millis, String expected) {
    assertEquals(expected, Timeout.format(Duration.ofMillis(millis)));
  }
}
