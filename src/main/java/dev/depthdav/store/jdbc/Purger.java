package dev.depthdav.store.jdbc;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes detached subtrees in the background. Each batch is its own short write transaction:
 * it moves the members of up to {@link #BATCH} trash rows under the trash themselves, deletes
 * those rows and their properties, and after commit deletes the blobs no row names any more.
 * Its only state is the trash itself, so it resumes where it stopped after a restart.
 */
final class Purger {
  private static final Logger log = LoggerFactory.getLogger(Purger.class);
  static final int BATCH = 200;
  private static final long IDLE_MS = 5_000;
  static final int COMPACT_SLICE_MS = 100;
  private static final Duration SWEEP_EVERY = Duration.ofHours(1);

  private final JdbcStore store;
  private final Thread thread;
  private final Object signal = new Object();
  private volatile boolean running = true;
  private boolean woken;
  /** How many times it was woken (tests see that a commit woke it). */
  private final java.util.concurrent.atomic.AtomicLong wakes =
      new java.util.concurrent.atomic.AtomicLong();

  Purger(JdbcStore store) {
    this.store = store;
    this.thread = new Thread(this::loop, "purger");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void wake() {
    wakes.incrementAndGet();
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  long wakes() {
    return wakes.get();
  }

  void stop() {
    running = false;
    wake();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    long nextSweep = 0;
    CompactionPacer pacer = new CompactionPacer();
    while (running) {
      long waitMs = IDLE_MS;
      try {
        // One process purges a shared database at a time; the others wait for its lease to go.
        if (store.leadsPurging()) {
          drain();
          if (System.nanoTime() - nextSweep >= 0) {
            sweep();
            nextSweep = System.nanoTime() + SWEEP_EVERY.toNanos();
          }
          long start = System.nanoTime();
          if (pacer.due(start) && compact()) {
            pacer.ran(start, System.nanoTime());
          }
          // after a slice the file may still be sparse: look again once its pause is over
          long pause = pacer.untilDue(System.nanoTime()) / 1_000_000;
          if (pause > 0) {
            waitMs = Math.min(IDLE_MS, pause);
          }
        }
      } catch (RuntimeException e) {
        log.warn("purging detached resources failed; will retry", e);
      }
      synchronized (signal) {
        if (!woken && running) {
          try {
            signal.wait(waitMs);
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  /**
   * Deletes blobs no row names that are older than the grace period: what a crash, or an older
   * server, left behind. Runs at start-up, then every {@link #SWEEP_EVERY}.
   */
  void sweep() {
    try {
      int gone = store.blobs().sweep(Instant.now().minus(store.settings().orphanGrace()));
      if (gone > 0) {
        log.info("removed {} blobs that no resource named", gone);
      }
    } catch (IOException e) {
      log.warn("sweeping unreferenced blobs failed; will retry", e);
    }
  }

  /**
   * Compacts the database file when it is large and mostly dead chunks (JdbcStore.compactIfSparse),
   * a slice of about {@value #COMPACT_SLICE_MS} ms at a time, paced by {@link CompactionPacer}.
   * Compaction holds the writer lock: with 2-second slices, every write waited up to 2 s every few
   * seconds under a steady upload load (PUT p99 2,027 ms in
   * bench/results/compare-20261201T224405Z.md); with 100 ms slices run at every wake, a stream of
   * DELETEs (each wakes the purger) could keep the lock in compaction slice after slice. Returns
   * whether a slice ran.
   */
  boolean compact() {
    long[] sizes = store.compactIfSparse(COMPACT_SLICE_MS);
    if (sizes == null) {
      return false;
    }
    if (sizes[1] < sizes[0]) {
      log.info("compacted the database file from {} to {} bytes", sizes[0], sizes[1]);
    }
    return true;
  }

  /**
   * Purges batches until the trash is empty (or the store is closing). One drain at a time, so
   * that {@code purgeNow} returns only after a drain the background thread was running is done,
   * its blobs deleted too.
   */
  synchronized void drain() {
    while (running || Thread.currentThread() != thread) {
      Set<String> hashes = store.writeToFree(tx -> batch((JdbcTx) tx));
      if (hashes == null) {
        return;
      }
      for (String h : hashes) {
        store.blobs().deleteIfUnreferenced(h, store::referenced);
      }
      // Background work gives way: while requests wait for the writer lock, let them go first.
      while (store.writersWaiting() && running) {
        Thread.onSpinWait();
        Thread.yield();
      }
    }
  }

  /** One batch; returns the blob hashes its rows named, or null when the trash was empty. */
  private Set<String> batch(JdbcTx tx) {
    List<Long> ids = JdbcTx.sql(() -> {
      List<Long> out = new ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement(
          "SELECT id FROM node WHERE parent_id = ? ORDER BY id FETCH FIRST " + BATCH
              + " ROWS ONLY")) {
        ps.setLong(1, JdbcTx.TRASH);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
      }
      return out;
    });
    if (ids.isEmpty()) {
      return null;
    }
    String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
    Object[] args = ids.toArray();
    tx.update("UPDATE node SET parent_id = " + JdbcTx.TRASH + ", name = '#' || CAST(id AS "
        + "VARCHAR(20)) WHERE parent_id IN (" + in + ")", args);
    Set<String> hashes = JdbcTx.sql(() -> {
      Set<String> out = new LinkedHashSet<>();
      try (PreparedStatement ps = tx.connection().prepareStatement(
          "SELECT DISTINCT blob_hash FROM node WHERE blob_hash IS NOT NULL AND id IN (" + in
              + ")")) {
        JdbcTx.bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
    tx.update("DELETE FROM prop WHERE node_id IN (" + in + ")", args);
    tx.update("DELETE FROM node WHERE id IN (" + in + ")", args);
    tx.dropBlobRowsIfUnnamed(hashes);
    return hashes;
  }
}
