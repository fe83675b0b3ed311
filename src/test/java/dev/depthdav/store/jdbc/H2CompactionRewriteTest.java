package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction must rewrite chunks that rows nothing touches again keep partly live: content kept in
 * the database (V11__inline_content.sql) is written once, in the chunk of the commit that added
 * it, next to index pages that later commits replace, so no such chunk ever dies whole and moving
 * chunks into holes gives nothing back. H2 picks chunks to rewrite only while space reuse is on
 * (RandomAccessStore.getRewriteCandidates answers an empty list otherwise), and the server keeps
 * it off; until 2026-12-03 the rewrite half of a compaction step did nothing, and such a file
 * never shrank (bench/results/inline-content-20261203.md).
 */
class H2CompactionRewriteTest {
  private static final int KEPT = 1_500;
  private static final int KEPT_BYTES = 4_096;
  @TempDir Path dir;

  @Test
  void chunksKeptPartlyLiveByRowsNothingTouches_areRewritten_andTheFileShrinks() throws Exception {
    H2Engine engine = new H2Engine(dir, 0, new ReentrantLock(), 0);
    try {
      Random random = new Random(11);
      MessageDigest written = MessageDigest.getInstance("SHA-256");
      try (Connection c = engine.connect()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE kept (id INT PRIMARY KEY, b VARBINARY(" + KEPT_BYTES + "))");
          s.execute("CREATE TABLE hot (id INT PRIMARY KEY, v BIGINT, pad VARCHAR(100))");
          s.execute("INSERT INTO hot SELECT X, 0, REPEAT('p', 100) FROM SYSTEM_RANGE(1, 2000)");
        }
        c.commit();
        try (PreparedStatement add = c.prepareStatement("INSERT INTO kept VALUES (?, ?)");
            PreparedStatement churn = c.prepareStatement(
                "UPDATE hot SET v = v + 1 WHERE id = ?")) {
          byte[] b = new byte[KEPT_BYTES];
          for (int i = 0; i < KEPT; i++) {
            random.nextBytes(b); // incompressible
            written.update(b);
            add.setInt(1, i);
            add.setBytes(2, b);
            add.executeUpdate();
            for (int k = 0; k < 10; k++) { // index pages that the next commits write again
              churn.setInt(1, 1 + random.nextInt(2000));
              churn.executeUpdate();
            }
            c.commit();
            engine.flush(false); // a chunk per commit, as a group flush of one small PUT
          }
        }
      }
      long before = engine.bytes();
      int slices = 0;
      while (engine.compactIfSparse(100) != null && slices < 5_000) {
        slices++;
      }
      long after = engine.bytes();
      // Compaction stops once the file is at least half live (H2Engine.sparse), so what it comes
      // to depends on the index pages around the rows; without the rewrite it kept over half.
      long live = (long) KEPT * KEPT_BYTES;
      assertTrue(after < before / 2, "the file went from " + before + " to " + after
          + " bytes in " + slices + " slices, with " + live + " bytes of rows kept");
      try (Connection c = engine.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT b FROM kept ORDER BY id")) {
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        int rows = 0;
        while (rs.next()) {
          read.update(rs.getBytes(1));
          rows++;
        }
        assertEquals(KEPT, rows);
        assertEquals(HexFormat.of().formatHex(written.digest()),
            HexFormat.of().formatHex(read.digest()), "every kept row as it was written");
      }
    } finally {
      engine.close();
    }
  }
}
