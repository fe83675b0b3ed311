package dev.depthdav.store.jdbc;

/**
 * Group commit: makes committed transactions durable with one flush for every commit that
 * happened before it began, instead of one flush per commit.
 *
 * <p>A writer takes a ticket right after its commit (while it still holds the store's writer
 * lock, so tickets follow commit order), releases the lock and waits in {@link #await}. The first
 * waiter that finds no flush running becomes the leader: it notes the newest ticket, flushes, and
 * marks everything up to that ticket durable. Commits that land while it flushes wait for the
 * next flush, which one of them leads. A failed flush marks nothing durable: every waiter then
 * tries again itself and sees the failure, so no commit is ever reported durable unless a flush
 * that began after it succeeded.
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
   * @throws FlushFailed when the flush that should have covered it failed
   */
  void await(long ticket) {
    long target;
    boolean interrupted = false;
    synchronized (this) {
      while (durable < ticket && flushing) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true; // the commit happened: finish making it durable, then tell
        }
      }
      if (durable >= ticket) {
        restore(interrupted);
        return;
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
