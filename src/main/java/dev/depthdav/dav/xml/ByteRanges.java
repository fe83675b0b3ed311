package dev.depthdav.dav.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Range header (RFC 9110 §14.1.2, §14.2) resolved against a representation's length.
 *
 * <p>{@code bytes=0-499} (first-pos to last-pos, the last clipped to the length), {@code
 * bytes=9500-} (to the end), {@code bytes=-500} (the last 500 bytes, or all of a shorter
 * representation). A header that does not parse, names another unit, or holds a range whose
 * last-pos is below its first-pos is ignored: the whole representation is sent with 200 (RFC
 * 9110 §14.2 lets a server ignore Range, and an invalid one must not be half obeyed). A valid set
 * of which no range is satisfiable gets 416.
 */
public final class ByteRanges {
  /** More ranges than this in one request are served as the whole representation. */
  static final int MAX_RANGES = 16;

  /** One resolved range, both ends inclusive. */
  public record Span(long first, long last) {
    public long length() {
      return last - first + 1;
    }
  }

  /** The outcome: serve the whole ({@code spans} null), 416, or the spans in request order. */
  public record Result(List<Span> spans, boolean unsatisfiable) {
    static final Result WHOLE = new Result(null, false);
    static final Result NONE = new Result(List.of(), true);

    public boolean whole() {
      return spans == null && !unsatisfiable;
    }
  }

  private ByteRanges() {}

  /** Resolves {@code header} (null when absent) against a representation of {@code length}. */
  public static Result resolve(String header, long length) {
    if (header == null || length == 0) {
      return Result.WHOLE; // nothing to select from a zero-length representation
    }
    int eq = header.indexOf('=');
    if (eq < 0 || !header.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
      return Result.WHOLE;
    }
    String[] specs = header.substring(eq + 1).split(",", -1);
    if (specs.length > MAX_RANGES) {
      return Result.WHOLE;
    }
    List<Span> spans = new ArrayList<>();
    int seen = 0;
    for (String raw : specs) {
      String spec = raw.trim();
      if (spec.isEmpty()) {
        continue; // RFC 9110 §5.6.1: empty list elements do not count
      }
      seen++;
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return Result.WHOLE;
      }
      Long first = digits(spec.substring(0, dash));
      Long last = digits(spec.substring(dash + 1));
      if (dash == 0) { // suffix-range
        if (last == null) {
          return Result.WHOLE;
        }
        if (last > 0) {
          spans.add(new Span(Math.max(0, length - last), length - 1));
        }
      } else {
        if (first == null || dash < spec.length() - 1 && last == null
            || last != null && last < first) {
          return Result.WHOLE; // not a range-spec: the whole header is invalid
        }
        if (first < length) {
          spans.add(new Span(first, last == null ? length - 1 : Math.min(last, length - 1)));
        }
      }
    }
    if (spans.isEmpty()) {
      return seen == 0 ? Result.WHOLE : Result.NONE; // "bytes=" alone is not a range-set
    }
    return new Result(List.copyOf(spans), false);
  }

  /** A run of ASCII digits as a number; null when empty, not digits, or too large. */
  private static Long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(s);
  }
}
