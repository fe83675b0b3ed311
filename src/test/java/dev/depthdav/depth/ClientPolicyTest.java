package dev.depthdav.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who gets 102 Processing, from the User-Agent (field notes §3). */
class ClientPolicyTest {
  private static final ClientPolicy DEFAULTS = ClientPolicy.parse("", 0);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "litmus (neon fails at 128)   | litmus/0.13 neon/0.32.5          | 120",
      "davfs2 (neon)                | davfs2/1.6.1 neon/0.32.5         | 120",
      "rclone (Go fails at the 6th) | rclone/v1.60.1                   | 4",
      "Go                           | Go-http-client/1.1               | 4",
      "curl                         | curl/7.88.1                      | 1000",
      "java.net.http fails at 9     | Java-http-client/17.0.15         | 7",
      "HttpURLConnection before 20  | Java/17.0.15                     | 0",
      "HttpURLConnection from 20    | Java/21.0.1                      | 1000",
      "OkHttp 4                     | okhttp/4.12.0                    | 0",
      "OkHttp 5                     | okhttp/5.0.0                     | 1000",
      "python-requests              | python-requests/2.31.0           | 0",
      "urllib                       | Python-urllib/3.11               | 0",
      "Windows mini-redirector      | Microsoft-WebDAV-MiniRedir/10.0  | 0",
      "no User-Agent                | NULL                             | 0",
  })
  void defaults(String name, String userAgent, int max) {
    assertEquals(max, DEFAULTS.maxFor(userAgent));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "configured rule wins over defaults | neon/=3          | litmus/0.13 neon/0.32.5 | 3",
      "configured unknown client          | MyClient=7       | MyClient/1.0            | 7",
      "two rules, first match             | 'a=1, ab=2'      | ab/1                    | 1",
  })
  void configured(String name, String spec, String userAgent, int max) {
    assertEquals(max, ClientPolicy.parse(spec, 0).maxFor(userAgent));
  }

  @ParameterizedTest(name = "bad: {0}")
  @CsvSource({"noequals", "=5", "x=notanumber"})
  void configured_bad(String spec) {
    assertThrows(IllegalArgumentException.class, () -> ClientPolicy.parse(spec, 0));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "off sends none                | false | 128 | curl/8 | 0",
      "global cap below client max   | true  | 3   | curl/8 | 3",
      "client max below global cap   | true  | 128 | rclone/v1.60 | 4",
  })
  void budget(String name, boolean enabled, int cap, String userAgent, int expected) {
    Processing p = new Processing(enabled, Duration.ofSeconds(20), Duration.ofSeconds(20), cap,
        DEFAULTS);
    assertEquals(expected, p.budget(userAgent));
  }
}
