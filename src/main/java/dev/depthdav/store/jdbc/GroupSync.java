package dev.depthdav.store.jdbc;

import java.util.function.LongSupplier;

/**
 * Group commit: makes committed transactions durable with one flush for every commit that
 * happened before it began, instead of one flush per commit.
 *
 * <p>A writer takes a ticket right after its commit (while it still holds the store's writer
 * lock, so tickets follow commit order), releases the lock and waits in {@link #await}. The first
 * waiter that finds no flush running becomes the leader: it flushes, and marks everything up to
 * the newest ticket in what the flush wrote durable. That is the newest ticket when the flush
 * took what it writes, which the flush tells (H2: once it holds the writer lock, behind the
 * writers that were queued for it), and at least the newest when the leader began. Commits
 * that land later wait for the next flush, which one of them leads. No commit is ever reported
 * durable unless a flush that took what it writes after the commit succeeded.
 *
 * <p>A failed flush fails every commit made before the failure, for good: where the flush is
 * what writes commits to the file (H2, {@link H2Engine}), a failed write loses what was only in
 * memory, and a later flush that succeeds (the database reopened from its file) must not report
 * them durable. Commits made after the failure wait for a flush of their own.
 */
final class GroupSync {
  /** Writes every committed change to disk (and forces it there, when asked to). */
  @FunctionalInterface
  interface Flush {
    /**
     * Flushes; returns the newest ticket it made durable: {@code newest} read at a moment after
     * which no commit can happen until the flush has taken what it writes (or less, when the
     * flush cannot tell).
     */
    long run(LongSupplier newest) throws Exception;
  }

  private final Flush flush;
  private long committed;
  private long durable;
  /** The newest commit when a flush last failed: it and those before it are not durable. */
  private long lost;
  private boolean flushing;

  GroupSync(Flush flush) {
    this.flush = flush;
  }

  /** Records a commit; call it right after the commit, under the writer lock. */
  synchronized long committed() {
    return ++committed;
  }

  /** The ticket of the newest commit. */
  synchronized long latest() {
    return committed;
  }

  /**
   * Returns once the commit holding {@code ticket} is durable.
   *
   * @throws FlushFailed when a flush failed after the commit and before it was durable
   */
  void await(long ticket) {
    long target;
    boolean interrupted = false;
    synchronized (this) {
      while (durable < ticket && lost < ticket && flushing) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true; // the commit happened: finish making it durable, then tell
        }
      }
      if (durable >= ticket || lost >= ticket) {
        restore(interrupted);
        if (durable >= ticket) {
          return;
        }
        throw new FlushFailed(new java.io.IOException("a flush after this commit failed"));
      }
      flushing = true;
      target = committed;
    }
    boolean ok = false;
    try {
      target = Math.max(target, flush.run(this::latest));
      ok = true;
    } catch (Exception e) {
      throw new FlushFailed(e);
    } finally {
      synchronized (this) {
        flushing = false;
        if (ok) {
          durable = Math.max(durable, target);
        } else {
          lost = committed; // commits that landed during the flush were not in it either
        }
        notifyAll();
      }
      restore(interrupted);
    }
  }

  /** How many flushes would be needed now: commits not yet known durable (for tests). */
  synchronized long pending() {
    return committed - durable;
  }

  private static void restore(boolean interrupted) {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The flush failed: the commits it was to cover are not known to be on disk. */
  static final class FlushFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FlushFailed(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }
}
