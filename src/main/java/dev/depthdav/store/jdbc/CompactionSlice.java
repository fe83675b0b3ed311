package dev.depthdav.store.jdbc;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One slice of compaction as a run of short steps, each of which holds the store's writer lock
 * on its own: the slice ends when there is nothing left to do, when its time is up, or as soon
 * as a request waits for the writer lock, so that a write waits for one step at most, never for
 * a whole slice. H2's own {@code compactFile(maxMillis)} looks at the time only after rewriting
 * and moving up to 16 MiB (with several forces of the file), which on a file grown to 1 GB by a
 * large COPY held writers for 300-600 ms at a time (docs/ARCHITECTURE.md, "Compaction").
 */
final class CompactionSlice {
  private CompactionSlice() {}

  /** A step of compaction; returns whether there is more to do. */
  @FunctionalInterface
  interface Step {
    boolean run();
  }

  /**
   * Runs steps from now until {@code deadline} (a {@link System#nanoTime} value, read from
   * {@code clock}); returns how many ran. The first step always runs.
   */
  static int run(Step step, BooleanSupplier writersWaiting, long deadline, LongSupplier clock) {
    int steps = 0;
    boolean more = true;
    while (more) {
      more = step.run();
      steps++;
      if (writersWaiting.getAsBoolean() || clock.getAsLong() - deadline >= 0) {
        break;
      }
    }
    return steps;
  }
}
