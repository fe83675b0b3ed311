package dev.depthdav.dav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests for the Range header; the first rows are the examples of RFC 9110 §14.1.2. */
class ByteRangesTest {

  /** Spans written "first-last" joined by ";", for a table cell. */
  private static String spans(ByteRanges.Result r) {
    return String.join(";", r.spans().stream().map(s -> s.first() + "-" + s.last()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "good: first 500 bytes (RFC 9110 §14.1.2)  | bytes=0-499         | 10000 | 0-499",
      "good: second 500 bytes                    | bytes=500-999       | 10000 | 500-999",
      "good: final 500 bytes, suffix             | bytes=-500          | 10000 | 9500-9999",
      "good: final 500 bytes, open-ended         | bytes=9500-         | 10000 | 9500-9999",
      "good: first and last bytes                | bytes=0-0,-1        | 10000 | 0-0;9999-9999",
      "good: non-canonical but legal             | 'bytes=500-600,601-999' | 10000 | 500-600;601-999",
      "good: overlapping but legal               | 'bytes=500-700,601-999' | 10000 | 500-700;601-999",
      "good: suffix of 5 of 20                   | bytes=-5            | 20    | 15-19",
      "good: last-pos past the end is clipped    | bytes=10-99         | 20    | 10-19",
      "good: suffix longer than the whole        | bytes=-50           | 20    | 0-19",
      "good: unit case-insensitive, spaces       | 'Bytes = 1-2 , 4-5' | 20    | 1-2;4-5",
      "good: unsatisfiable member dropped        | 'bytes=50-60,0-1'   | 20    | 0-1",
  })
  void ranges_good(String name, String header, long length, String expected) {
    ByteRanges.Result r = ByteRanges.resolve(header, length);
    assertEquals(expected, spans(r));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "whole: last below first (invalid)   | bytes=5-2",
      "whole: another unit                 | items=0-1",
      "whole: no equals sign               | bytes",
      "whole: empty range set              | bytes=",
      "whole: not digits                   | bytes=a-b",
      "whole: no dash                      | bytes=5",
      "whole: bare dash                    | bytes=-",
      "whole: negative first               | bytes=--5",
      "whole: garbage after last-pos       | bytes=1-2x",
      "whole: 17 ranges                    | bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9,10-10,11-11,12-12,13-13,14-14,15-15,16-16",
  })
  void ranges_ignored(String name, String header) {
    assertTrue(ByteRanges.resolve(header, 20).whole(), header);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "416: first-pos past the end  | bytes=50-60",
      "416: first-pos at the end    | bytes=20-",
      "416: zero-length suffix      | bytes=-0",
      "416: all members past it     | 'bytes=20-21,30-'",
  })
  void ranges_unsatisfiable(String name, String header) {
    ByteRanges.Result r = ByteRanges.resolve(header, 20);
    assertTrue(r.unsatisfiable(), header);
    assertEquals(List.of(), r.spans());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "whole: absent header           | NULL",
      "whole: zero-length content     | bytes=0-1",
  })
  void ranges_absentOrEmpty(String name, String header) {
    assertTrue(ByteRanges.resolve(header, header == null ? 20 : 0).whole());
  }
}
