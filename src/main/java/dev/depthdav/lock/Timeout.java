package dev.depthdav.lock;

import java.time.Duration;
import java.util.Locale;

/** The Timeout request header of LOCK (RFC 4918 §10.7) and the DAV:timeout value (§14.29). */
public final class Timeout {
  /** RFC 4918 §10.7: a Second-n value must not be greater than 2^32-1. */
  private static final long MAX_SECONDS = 0xFFFF_FFFFL;

  private Timeout() {}

  /**
   * The lock duration to grant for {@code TimeType *("," TimeType)}: the first entry we can read,
   * capped at {@code max}; {@code Infinite} means {@code max}. Absent, or no readable entry, means
   * {@code dflt} (RFC 4918 §10.7: the server may ignore the header). Deliberate choices: names are
   * case-insensitive; {@code Second-0} grants one second, so a new lock is never born expired; a
   * number above 2^32-1 is read as "very long" (so {@code max}) rather than skipped.
   */
  public static Duration parse(String header, Duration dflt, Duration max) {
    if (header != null) {
      for (String part : header.split(",")) {
        Duration d = timeType(part.trim().toLowerCase(Locale.ROOT), max);
        if (d != null) {
          return d;
        }
      }
    }
    return min(dflt, max);
  }

  /** One TimeType, capped at {@code max}; null when it is not one we can read. */
  private static Duration timeType(String t, Duration max) {
    if (t.equals("infinite")) {
      return max;
    }
    if (!t.startsWith("second-")) {
      return null;
    }
    String n = t.substring("second-".length());
    if (n.isEmpty() || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    long secs = n.length() > 10 ? MAX_SECONDS : Math.min(Long.parseLong(n), MAX_SECONDS);
    return min(Duration.ofSeconds(Math.max(secs, 1)), max);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The remaining time of a finite lock, as DAV:timeout: {@code Second-n}, rounded up. */
  public static String format(Duration remaining) {
    return format(remaining, false);
  }

  /** DAV:timeout: {@code Infinite}, or {@code Second-n} rounded up, never negative. */
  public static String format(Duration remaining, boolean infinite) {
    if (infinite) {
      return "Infinite";
    }
    long millis = Math.max(0, remaining.toMillis());
    return "Second-" + Math.min((millis + 999) / 1000, MAX_SECONDS);
  }
}
