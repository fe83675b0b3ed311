package dev.depthdav.store.jdbc;

/**
 * When the purger may run the next slice of compaction. A slice holds the store's writer lock,
 * so every write waits for it; the purger is woken by every write that frees rows (each DELETE),
 * and without pacing a stream of deletes could run slice after slice, the lock held by
 * compaction most of the time. After a slice that took {@code d}, the next starts no sooner than {@code
 * GAP_FACTOR × d} later: compaction holds the lock for at most about a tenth of the time.
 * Times are {@link System#nanoTime} values, passed in so the policy is testable as it is.
 */
final class CompactionPacer {
  static final long GAP_FACTOR = 9;
  private long notBefore;
  private boolean ran;

  /** Whether a slice may start at {@code now}. */
  boolean due(long now) {
    return !ran || now - notBefore >= 0;
  }

  /** A slice ran from {@code start} to {@code end}. */
  void ran(long start, long end) {
    ran = true;
    notBefore = end + GAP_FACTOR * Math.max(0, end - start);
  }

  /** Nanoseconds from {@code now} until a slice may start (0 when one may start now). */
  long untilDue(long now) {
    return due(now) ? 0 : notBefore - now;
  }
}
