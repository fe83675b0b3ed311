package dev.depthdav.dav;

import dev.depthdav.store.Node;

/** HTTP conditional requests (RFC 9110 §13): If-Match and If-None-Match, strong comparison. */
final class Preconditions {
  private Preconditions() {}

  /**
   * Throws 412 when If-Match or If-None-Match fails for the current state of the target.
   *
   * @param current the resource as it is, or null when it does not exist
   */
  static void check(Exchange x, Node current) {
    String ifMatch = x.header("If-Match");
    if (ifMatch != null && !matches(ifMatch, current)) {
      throw new DavError(412, "If-Match did not match the current entity tag");
    }
    String ifNoneMatch = x.header("If-None-Match");
    if (ifNoneMatch != null && matches(ifNoneMatch, current)) {
      throw new DavError(412, "If-None-Match matched the current entity tag");
    }
  }

  /** Whether a list of entity tags (or "*") matches the resource; weak tags never match. */
  static boolean matches(String header, Node current) {
    return matches(header, current, false);
  }

  /**
   * As {@link #matches(String, Node)}; with {@code weak}, the weak comparison of RFC 9110
   * §8.8.3.2 (a tag matches with or without its W/), which If-None-Match uses.
   */
  static boolean matches(String header, Node current, boolean weak) {
    if (current == null) {
      return false;
    }
    return tagListContains(header, LiveProps.etag(current), weak);
  }

  /** Whether an If-None-Match list (or "*") names {@code mine}, compared weakly (§8.8.3.2). */
  static boolean tagListContains(String header, String mine) {
    return tagListContains(header, mine, true);
  }

  private static boolean tagListContains(String header, String mine, boolean weak) {
    String value = header.trim();
    if (value.equals("*")) {
      return true;
    }
    for (String tag : value.split(",")) {
      String t = tag.trim();
      if (weak && t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(mine)) {
        return true;
      }
    }
    return false;
  }
}
