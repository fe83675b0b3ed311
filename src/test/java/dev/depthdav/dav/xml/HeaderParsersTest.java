package dev.depthdav.dav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depthdav.store.DavPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests for Depth, Overwrite and Destination (RFC 4918 §10.2, §10.3, §10.6). */
class HeaderParsersTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "good: 0                 | 0        | ZERO",
      "good: 1                 | 1        | ONE",
      "good: infinity          | infinity | INFINITY",
      "good: case-insensitive  | Infinity | INFINITY",
      "good: trimmed           | ' 1 '    | ONE",
      "good: absent -> default | NULL     | INFINITY",
  })
  void depth_good(String name, String header, Depth expected) {
    assertEquals(expected, Depth.parse(header, Depth.INFINITY));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad: 2        | 2",
      "bad: empty    | ''",
      "bad: infinite | infinite",
      "bad: -1       | -1",
      "bad: list     | '0, 1'",
  })
  void depth_bad(String name, String header) {
    assertThrows(BadRequestException.class, () -> Depth.parse(header, Depth.ZERO));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "good: T (RFC 4918 §10.6)    | T    | true",
      "good: F                     | F    | false",
      "good: absent means T        | NULL | true",
      "good: lower-case t          | t    | true",
      "good: lower-case f          | f    | false",
  })
  void overwrite_good(String name, String header, boolean expected) {
    assertEquals(expected, Overwrite.parse(header));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"bad: word | true", "bad: empty | ''", "bad: both | TF"})
  void overwrite_bad(String name, String header) {
    assertThrows(BadRequestException.class, () -> Overwrite.parse(header));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "good: absolute URI (RFC 4918 §9.8.8 example) | http://www.example/othercontainer/ | /othercontainer",
      "good: absolute path                          | /a/b                               | /a/b",
      "good: percent-decoded                        | http://www.example/a%20b/%C3%BC     | /a b/ü",
      "good: host case-insensitive                  | http://WWW.Example/x                | /x",
      "good: explicit default port                  | http://www.example:80/x             | /x",
      "good: root                                   | http://www.example                  | /",
      "good: empty segments collapse                | /a//b/                              | /a/b",
  })
  void destination_good(String name, String header, String path) {
    assertEquals(DavPath.parse(path), Destination.parse(header, "http", "www.example", 80));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad: empty                | ''",
      "bad: relative path        | a/b",
      "bad: dot-dot              | /a/../b",
      "bad: encoded NUL          | /a%00b",
      "bad: raw space            | http://www.example/a b",
      "bad: query                | /a?x=1",
      "bad: fragment             | /a#f",
      "bad: malformed escape     | /a%zz",
      "bad: encoded slash        | /a%2Fb",
      "bad: invalid UTF-8        | /a%C3",
  })
  void destination_bad(String name, String header) {
    assertThrows(BadRequestException.class,
        () -> Destination.parse(header, "http", "www.example", 80));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "other host    | http://elsewhere.example/x",
      "other port    | http://www.example:8080/x",
      "other scheme  | https://www.example/x",
  })
  void destination_otherServer(String name, String header) {
    assertThrows(Destination.OtherServerException.class,
        () -> Destination.parse(header, "http", "www.example", 80));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "good: space and hash | a b#c   | /a%20b%23c",
      "good: percent        | 100%    | /100%25",
      "good: sub-delims kept| a+b&c;d | /a+b&c;d",
      "good: quote encoded  | it's    | /it%27s",
      "good: UTF-8          | ü日本    | /%C3%BC%E6%97%A5%E6%9C%AC",
  })
  void hrefs_encodeAndRoundTrip(String name, String segment, String href) {
    DavPath p = DavPath.ROOT.child(segment);
    assertEquals(href, Hrefs.encode(p, false));
    assertEquals(href + "/", Hrefs.encode(p, true));
    assertEquals(p, DavPath.parse(Hrefs.decodePath(href)));
  }
}
