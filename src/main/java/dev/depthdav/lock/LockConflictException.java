package dev.depthdav.lock;

/** A new lock conflicts with an existing one (RFC 4918 §9.10.x: 423 Locked). */
public final class LockConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Lock existing;

  public LockConflictException(Lock existing) {
    super("conflicts with the lock rooted at " + existing.root());
    this.existing = existing;
  }

  public Lock existing() {
    return existing;
  }
}
