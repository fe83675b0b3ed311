package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A slice of compaction ends at the first step after which a writer waits, when its time is up,
 * or when there is nothing left: a write waits for one step, never a whole slice. Time is a
 * counter advanced by the steps themselves.
 */
class CompactionSliceTest {
  private static final long MS = 1_000_000;

  @Test
  void aWaitingWriter_endsTheSliceAfterTheStepItWaitedFor() {
    AtomicInteger ran = new AtomicInteger();
    AtomicLong now = new AtomicLong();
    int steps = CompactionSlice.run(() -> {
      now.addAndGet(5 * MS);
      return ran.incrementAndGet() < 100; // plenty left to do
    }, () -> ran.get() >= 3, 1_000 * MS, now::get); // a writer queues during the third step
    assertEquals(3, steps);
    assertEquals(3, ran.get());
  }

  @Test
  void withNoWriterWaiting_stepsRunUntilTheTimeIsUp() {
    AtomicLong now = new AtomicLong();
    int steps = CompactionSlice.run(() -> {
      now.addAndGet(10 * MS);
      return true;
    }, () -> false, 100 * MS, now::get);
    assertEquals(10, steps, "ten steps of 10 ms in a 100 ms slice");
  }

  @Test
  void nothingLeft_endsTheSlice() {
    AtomicInteger ran = new AtomicInteger();
    int steps = CompactionSlice.run(() -> ran.incrementAndGet() < 4, () -> false,
        Long.MAX_VALUE, () -> 0);
    assertEquals(4, steps);
  }

  @Test
  void theFirstStepRuns_evenWithAWriterWaitingAndTheTimeUp() {
    AtomicInteger ran = new AtomicInteger();
    int steps = CompactionSlice.run(() -> ran.incrementAndGet() < 10, () -> true, 0, () -> 5);
    assertEquals(1, steps);
  }
}
