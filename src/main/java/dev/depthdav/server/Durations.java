package dev.depthdav.server;

import java.time.Duration;

/** Durations as written on the command line: {@code 250ms}, {@code 20s}, {@code 2m}, {@code 1h}. */
final class Durations {
  private Durations() {}

  static Duration parse(String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 12) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 250ms, 20s, 2m)");
    }
    long n = Long.parseLong(t.substring(0, i));
    switch (t.substring(i)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      case "d": return Duration.ofDays(n);
      default:
        throw new IllegalArgumentException("unknown unit in '" + text + "' (ms, s, m, h or d)");
    }
  }

  /** The form {@link #parse} reads, in the largest unit that divides the duration evenly. */
  static String format(Duration d) {
    long ms = d.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms != 0 && ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }
}
