package dev.depthdav.dav;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * HTTP-dates (RFC 9110 §5.6.7). Sent as IMF-fixdate only ({@code Sun, 06 Nov 1994 08:49:37
 * GMT}, the day always two digits); read in that form and the two obsolete ones a recipient must
 * accept (RFC 850 and asctime). A date that does not parse is null: the condition that carries it
 * is then ignored (RFC 9110 §13.1.3, §13.1.4).
 */
final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  private static final List<DateTimeFormatter> OBSOLETE = List.of(
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US),
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US));

  private HttpDates() {}

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
      "Sep", "Oct", "Nov", "Dec"};

  /**
   * The IMF-fixdate of an instant, composed by hand: every GET and every member of a PROPFIND
   * sends one, and the formatter took 7% of a small GET's CPU samples
   * (bench/results/hotpath-20261201.md). Years outside 1000-9999 go through the formatter.
   */
  static String format(Instant t) {
    long secs = t.getEpochSecond();
    LocalDate day = fourDigitYearDay(secs);
    if (day == null) {
      return IMF_FIXDATE.format(t.atOffset(ZoneOffset.UTC));
    }
    StringBuilder b = new StringBuilder(29);
    b.append(DAYS[day.getDayOfWeek().ordinal()]).append(", ");
    twoDigits(b, day.getDayOfMonth()).append(' ').append(MONTHS[day.getMonthValue() - 1])
        .append(' ').append(day.getYear()).append(' ');
    return time(b, secs).append(" GMT").toString();
  }

  /** The UTC day of an instant's epoch second when its year has four digits, else null. */
  static LocalDate fourDigitYearDay(long secs) {
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(secs, 86_400));
    return day.getYear() < 1000 || day.getYear() > 9999 ? null : day;
  }

  /** Appends the UTC time of day of an epoch second, HH:mm:ss. */
  static StringBuilder time(StringBuilder b, long secs) {
    int second = (int) Math.floorMod(secs, 86_400);
    twoDigits(b, second / 3600).append(':');
    twoDigits(b, second / 60 % 60).append(':');
    return twoDigits(b, second % 60);
  }

  static StringBuilder twoDigits(StringBuilder b, int n) {
    return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }

  /** The instant a header's date names, or null when it is not an HTTP-date. */
  static Instant parse(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    try {
      return LocalDateTime.parse(v, IMF_FIXDATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      for (DateTimeFormatter f : OBSOLETE) {
        try {
          return LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
          // try the next form
        }
      }
      return null;
    }
  }

  /** HTTP-dates have whole seconds: comparisons use the modification time truncated so. */
  static Instant seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS);
  }
}
