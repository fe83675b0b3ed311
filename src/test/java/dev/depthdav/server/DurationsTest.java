package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "good: {0}")
  @CsvSource({"250ms, 250", "20s, 20000", "2m, 120000", "1h, 3600000", "1d, 86400000",
      "0ms, 0", "' 5s ', 5000"})
  void parse_good(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  @ParameterizedTest(name = "bad: {0}")
  @ValueSource(strings = {"", "s", "20", "20sec", "-5s", "1.5s", "9999999999999s"})
  void parse_bad(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  @ParameterizedTest(name = "format: {0} ms")
  @CsvSource({"3600000, 1h", "86400000, 1d", "90000, 90s", "120000, 2m", "250, 250ms",
      "0, 0ms"})
  void format_readsBack(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }
}
