package dev.depthdav.lock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A write lock (RFC 4918 §6, §7).
 *
 * @param token the lock token, an absolute URI (urn:uuid:...)
 * @param root the lock root: the decoded path the LOCK was sent to, "/"-separated, no trailing /
 * @param exclusive exclusive or shared
 * @param infinite Depth: infinity (the root and all its members) or Depth: 0
 * @param ownerXml the DAV:owner element exactly as sent, or null
 * @param principal the user who took it; null for an anonymous client
 * @param created when it was granted
 * @param expires when it lapses unless refreshed
 */
public record Lock(String token, String root, boolean exclusive, boolean infinite,
    String ownerXml, String principal, Instant created, Instant expires) {

  /** Whether the lock applies to {@code path} (RFC 4918 §6.1, §7.5). */
  public boolean covers(String path) {
    return root.equals(path) || infinite && isAncestor(root, path);
  }

  /** Whether the lock has lapsed at {@code now}; it lapses at {@code expires} exactly. */
  public boolean expired(Instant now) {
    return !now.isBefore(expires);
  }

  /** The same lock with a new expiry (a refresh, RFC 4918 §9.10.2). */
  public Lock withExpiry(Instant newExpiry) {
    return new Lock(token, root, exclusive, infinite, ownerXml, principal, created, newExpiry);
  }

  /** The same lock with its root named otherwise (as a client with a root folder sees it). */
  public Lock withRoot(String newRoot) {
    return new Lock(token, newRoot, exclusive, infinite, ownerXml, principal, created, expires);
  }

  /**
   * The same lock without its owner, as it is listed on the members it covers: the owner (any
   * XML the client chose) is listed once, at the lock's root, which {@code DAV:lockroot} names.
   */
  public Lock withoutOwner() {
    return new Lock(token, root, exclusive, infinite, null, principal, created, expires);
  }

  /** Whether {@code a} is a proper ancestor of {@code b}; both normalized, "/" the root. */
  public static boolean isAncestor(String a, String b) {
    if (a.equals(b)) {
      return false;
    }
    return a.equals("/") || b.startsWith(a) && b.charAt(a.length()) == '/';
  }

  /** The paths a lock on {@code path} can be rooted at to cover it: itself and its ancestors. */
  public static List<String> selfAndAncestors(String path) {
    List<String> out = new ArrayList<>();
    out.add(path);
    for (String p = path; !p.equals("/"); ) {
      p = parentOf(p);
      out.add(p);
    }
    return out;
  }

  /** The parent of a decoded path ({@code "/"} for the root itself). */
  public static String parentOf(String path) {
    int cut = path.lastIndexOf('/');
    return cut <= 0 ? "/" : path.substring(0, cut);
  }
}
