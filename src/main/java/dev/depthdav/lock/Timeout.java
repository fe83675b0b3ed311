package dev.depthdav.lock;

import java.time.Duration;
import java.util.Locale;

/** The Timeout request header of LOCK (RFC 4918 §10.7) and the DAV:timeout value. */
public final class Timeout {
  private static final long MAX_SECONDS = 4294967295L; // RFC 4918 §10.7: at most 2^32-1

  private Timeout() {}

  /**
   * The lock duration to grant: the first usable entry of the list, capped at {@code max};
   * {@code Infinite} means {@code max}; absent or unusable means {@code dflt}. Second-0 is one
   * second, so a granted lock is never already expired.
   */
  public static Duration parse(String header, Duration dflt, Duration max) {
    if (header == null) {
      return min(dflt, max);
    }
    for (String part : header.split(",")) {
      String t = part.trim().toLowerCase(Locale.ROOT);
      if (t.equals("infinite")) {
        return max;
      }
      if (t.startsWith("second-")) {
        String n = t.substring(7);
        if (!n.isEmpty() && n.length() <= 10 && n.chars().allMatch(Character::isDigit)) {
          long secs = Math.min(Long.parseLong(n), MAX_SECONDS);
          return min(Duration.ofSeconds(Math.max(secs, 1)), max);
        }
      }
      // RFC 4918 §10.7: the server may ignore what it does not understand; try the next one.
    }
    return min(dflt, max);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The remaining time as written in DAV:timeout. */
  public static String format(Duration remaining) {
    return "Second-" + Math.max(0, (remaining.toMillis() + 999) / 1000);
  }
}
