package dev.depthdav.lock;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where locks live. Expired locks count for nothing in any method. Paths are decoded,
 * normalized, "/"-separated without a trailing slash ("/" for the root).
 */
public interface LockStore {

  /** Locks that apply to {@code path}: rooted there, or infinite and rooted at an ancestor. */
  List<Lock> covering(String path, Instant now);

  /**
   * Locks that a new member at {@code path} must honour, in one lookup: those covering {@code
   * path} and those covering its parent, whose membership the new member changes (RFC 4918
   * §7.4). For the root, those covering it.
   */
  List<Lock> coveringWithParent(String path, Instant now);

  /** Locks rooted at {@code path} or anywhere below it (one set-based lookup, never a walk). */
  List<Lock> within(String path, Instant now);

  Optional<Lock> get(String token, Instant now);

  /**
   * Grants {@code lock} unless it conflicts (RFC 4918 §6.1): an exclusive lock conflicts with any
   * other, a shared one with an exclusive one, among the locks covering its root and, when it is
   * infinite, those rooted below it.
   *
   * @throws LockConflictException naming the conflicting lock
   */
  Lock create(Lock lock, Instant now);

  /** Sets a new expiry; empty if the token names no live lock. */
  Optional<Lock> refresh(String token, Instant expires, Instant now);

  /** Removes a lock; false if there was none. */
  boolean remove(String token);

  /** Removes the locks rooted at {@code path} or below (what DELETE and MOVE take away). */
  int removeWithin(String path);

  /** Removes expired locks; returns how many. */
  int sweep(Instant now);

  /** Every live lock, for administrators. */
  List<Lock> all(Instant now);

  /** A new lock token (RFC 4918 §6.5: a URI unique across all time, here a UUID URN). */
  static String newToken() {
    return "urn:uuid:" + UUID.randomUUID();
  }

  /** The first lock in {@code existing} that {@code lock} conflicts with, or null. */
  static Lock conflict(Lock lock, List<Lock> existing) {
    for (Lock other : existing) {
      if (lock.exclusive() || other.exclusive()) {
        return other;
      }
    }
    return null;
  }
}
