package dev.depthdav.dav.xml;

import java.util.Locale;

/** The Depth request header (RFC 4918 §10.2). */
public enum Depth {
  ZERO,
  ONE,
  INFINITY;

  /** Parses "0", "1" or "infinity"; {@code dflt} when absent; anything else is a bad request. */
  public static Depth parse(String header, Depth dflt) {
    if (header == null) {
      return dflt;
    }
    switch (header.trim().toLowerCase(Locale.ROOT)) {
      case "0":
        return ZERO;
      case "1":
        return ONE;
      case "infinity":
        return INFINITY;
      default:
        throw new BadRequestException("invalid Depth header: '" + header
            + "' (expected 0, 1 or infinity)");
    }
  }
}
