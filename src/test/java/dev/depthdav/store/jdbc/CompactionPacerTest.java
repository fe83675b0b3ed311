package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The pacing of compaction slices, with explicit times: after a slice of d, none for 9 d, so that
 * wakes by a stream of DELETEs cannot keep the writer lock in compaction.
 */
class CompactionPacerTest {
  private static final long MS = 1_000_000;

  @Test
  void firstSlice_isDueAtOnce() {
    CompactionPacer p = new CompactionPacer();
    assertTrue(p.due(0));
    assertTrue(p.due(-5 * MS)); // nanoTime may be negative
    assertEquals(0, p.untilDue(123));
  }

  @Test
  void afterASlice_nextIsDueNineTimesItsLengthAfterItsEnd() {
    CompactionPacer p = new CompactionPacer();
    p.ran(1_000 * MS, 1_100 * MS); // a 100 ms slice
    assertFalse(p.due(1_100 * MS), "right after the slice");
    assertFalse(p.due(1_999 * MS), "900 ms not yet over");
    assertEquals(1 * MS, p.untilDue(1_999 * MS));
    assertTrue(p.due(2_000 * MS), "after 900 ms");
    assertEquals(0, p.untilDue(2_000 * MS));
  }

  @Test
  void wakesDuringThePause_runNoSlice_whateverTheirNumber() {
    CompactionPacer p = new CompactionPacer();
    p.ran(0, 50 * MS);
    int slices = 0;
    // a DELETE every millisecond for the next 400 ms, each waking the purger
    for (long t = 50 * MS; t < 450 * MS; t += MS) {
      if (p.due(t)) {
        slices++;
        p.ran(t, t + 50 * MS);
      }
    }
    assertEquals(0, slices, "the pause after a 50 ms slice is 450 ms");
    assertTrue(p.due(500 * MS));
  }

  @Test
  void timesAcrossTheSignOfNanoTime_compareByDifference() {
    CompactionPacer p = new CompactionPacer();
    p.ran(Long.MAX_VALUE - 10 * MS, Long.MAX_VALUE - 5 * MS); // 5 ms, so a 45 ms pause
    assertFalse(p.due(Long.MAX_VALUE));
    assertTrue(p.due(Long.MIN_VALUE + 41 * MS)); // the pause ends at MIN_VALUE + 40 ms - 1
  }
}
