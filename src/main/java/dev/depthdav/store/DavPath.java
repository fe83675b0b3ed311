package dev.depthdav.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A normalized, decoded resource path: the list of member names from the root. The root is the
 * empty list. Names are never empty, ".", "..", and never contain '/' or NUL.
 */
public record DavPath(List<String> names) {
  /** The longest member name, in characters (the store's {@code node.name} column). */
  public static final int MAX_NAME = 4096;
  /** The longest decoded path, in characters (the store's {@code lock_entry.root_path}). */
  public static final int MAX_PATH = 8192;

  /** The root collection. */
  public static final DavPath ROOT = new DavPath(List.of());

  public DavPath {
    names = List.copyOf(names);
    for (String n : names) {
      if (!isValidName(n)) {
        throw new IllegalArgumentException(n.length() > MAX_NAME
            ? "a name is longer than " + MAX_NAME + " characters"
            : "invalid path segment: " + n);
      }
    }
  }

  /**
   * Whether {@code name} can name a member: not empty, not a dot segment, no '/' or NUL, at most
   * {@link #MAX_NAME} characters.
   */
  public static boolean isValidName(String name) {
    return !name.isEmpty()
        && name.length() <= MAX_NAME
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\0') < 0;
  }

  /**
   * Parses an already percent-decoded absolute path. Empty and "." segments are dropped; ".." is
   * refused rather than resolved, so a request can never name something outside what it says.
   *
   * @throws IllegalArgumentException if the path is not absolute, has "..", or contains NUL
   */
  public static DavPath parse(String decoded) {
    if (!decoded.startsWith("/")) {
      throw new IllegalArgumentException("path is not absolute");
    }
    if (decoded.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains NUL");
    }
    if (decoded.length() > MAX_PATH) {
      throw new IllegalArgumentException("path longer than " + MAX_PATH + " characters");
    }
    List<String> out = new ArrayList<>();
    for (String seg : decoded.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        throw new IllegalArgumentException("path contains '..'");
      }
      out.add(seg);
    }
    return new DavPath(out);
  }

  public boolean isRoot() {
    return names.isEmpty();
  }

  /** The last name; empty for the root. */
  public String name() {
    return names.isEmpty() ? "" : names.get(names.size() - 1);
  }

  /** The parent path; the root's parent is the root. */
  public DavPath parent() {
    return names.isEmpty() ? this : new DavPath(names.subList(0, names.size() - 1));
  }

  public DavPath child(String name) {
    List<String> n = new ArrayList<>(names);
    n.add(name);
    return new DavPath(n);
  }

  /** True if this path is {@code other} or one of its ancestors. */
  public boolean isSameOrAncestorOf(DavPath other) {
    return other.names.size() >= names.size() && other.names.subList(0, names.size()).equals(names);
  }

  public int depth() {
    return names.size();
  }

  /** The decoded path with a leading '/', without a trailing one. */
  @Override
  public String toString() {
    return names.isEmpty() ? "/" : "/" + String.join("/", names);
  }
}
