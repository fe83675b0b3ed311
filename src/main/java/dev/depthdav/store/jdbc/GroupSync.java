package dev.depthdav.store.jdbc;

/**
 * Group commit: makes committed transactions durable with one flush for every commit that
 * happened before it began, instead of one flush per commit.
 *
 * <p>A writer takes a ticket right after its commit (while it still holds the store's writer
 * lock, so tickets follow commit order), releases the lock and waits in {@link #await}. The first
 * waiter that finds no flush running becomes the leader: it notes the newest ticket, flushes, and
 * marks everything up to that ticket durable. Commits that land while it flushes wait for the
 * next flush, which one of them leads. No commit is ever reported durable unless a flush that
 * began after it succeeded.
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
    void run() throws Exception;
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
      flush.run();
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
