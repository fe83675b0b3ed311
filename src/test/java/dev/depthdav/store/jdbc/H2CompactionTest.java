package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of the H2 file in short steps: repeated slices bring a sparse file back under half
 * its size with every live row intact, and a slice gives the writer lock up after the first step
 * when a request waits for it, however much is left to do.
 */
class H2CompactionTest {
  private static final int ROWS = 24_000;
  private static final int ROW_BYTES = 2_000;
  @TempDir Path dir;
  private final ReentrantLock writer = new ReentrantLock();
  private H2Engine engine;

  @BeforeEach
  void sparseFile() throws Exception {
    // Chunks are written over as soon as they die, so the file freed a moment ago compacts now.
    engine = new H2Engine(dir, 0, writer, 0);
    Random random = new Random(7);
    try (Connection c = engine.connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, b VARBINARY(" + ROW_BYTES + "))");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
        byte[] b = new byte[ROW_BYTES];
        for (int i = 0; i < ROWS; i++) {
          random.nextBytes(b); // incompressible, so the file holds ~48 MB of rows
          ps.setInt(1, i);
          ps.setBytes(2, b);
          ps.executeUpdate();
          if (i % 500 == 499) {
            c.commit();
            engine.flush(false); // a chunk per 500 rows, as group flushes append them
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM t WHERE MOD(id, 10) <> 0");
      }
      c.commit();
      engine.flush(true);
    }
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void slicesInSteps_compactASparseFile_andKeepEveryLiveRow() throws Exception {
    long first = -1;
    long last = -1;
    int slices = 0;
    long[] sizes;
    while ((sizes = engine.compactIfSparse(100)) != null && slices < 5_000) {
      first = first < 0 ? sizes[0] : first;
      last = sizes[1];
      slices++;
    }
    assertTrue(slices > 0, "the file was sparse enough to compact");
    assertNull(sizes, "compaction ended within 5,000 slices");
    assertTrue(first > 40L << 20, "started from a file of " + first + " bytes");
    assertTrue(last < first / 2, "compacted from " + first + " to " + last + " bytes");
    assertEquals(ROWS / 10, liveRows());
  }

  @Test
  void aWaitingWriter_endsTheSliceAfterOneStep() throws Exception {
    writer.lock(); // held while a request queues for it; the slice's steps take it reentrantly
    CompletableFuture<Void> request;
    try {
      request = CompletableFuture.runAsync(() -> {
        writer.lock();
        writer.unlock();
      });
      while (!writer.hasQueuedThreads()) {
        Thread.onSpinWait();
      }
      long[] sizes = engine.compactIfSparse(60_000); // a minute would compact it all
      assertNotNull(sizes);
    } finally {
      writer.unlock();
    }
    request.get(10, TimeUnit.SECONDS);
    assertNotNull(engine.compactIfSparse(0), "one step of 1 MiB left the file sparse");
    assertEquals(ROWS / 10, liveRows());
  }

  private int liveRows() throws Exception {
    try (Connection c = engine.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE MOD(id, 10) = 0")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
