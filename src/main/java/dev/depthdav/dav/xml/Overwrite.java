package dev.depthdav.dav.xml;

/** The Overwrite request header (RFC 4918 §10.6). */
public final class Overwrite {
  private Overwrite() {}

  /**
   * "T" or "F"; absent means T (RFC 4918 §10.6). Read case-insensitively: the grammar spells
   * them upper case, but clients send "t" and "f", and Apache accepts them.
   */
  public static boolean parse(String header) {
    if (header == null) {
      return true;
    }
    switch (header.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "T":
        return true;
      case "F":
        return false;
      default:
        throw new BadRequestException("invalid Overwrite header: '" + header
            + "' (expected T or F)");
    }
  }
}
