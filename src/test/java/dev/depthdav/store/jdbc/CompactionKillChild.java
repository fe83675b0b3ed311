package dev.depthdav.store.jdbc;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process {@link CompactionKillTest} kills: two writers change rows of a table with an index
 * as the store does (a transaction under the writer lock, then a forced group flush before the
 * change counts), a third writes another table in small transactions that wait for no flush (so
 * that many statements run while flushes do), a reader holds snapshots, and a last thread
 * compacts the file whenever it is sparse, slice after slice, so that a kill lands in or between
 * compaction steps. It prints each transaction before its commit ({@code W}) and again once its
 * flush returned ({@code A}, acknowledged):
 * {@code W <writer> +id:k -id =id:k .}, an insert, a delete and a change of the indexed column;
 * and each slice of compaction with the file's sizes before and after it ({@code C 900 700}).
 * Arguments: the database folder, a seed, H2's retention time in milliseconds, and
 * {@code depthdav} (H2Engine) or {@code stock} (H2 as it comes, for comparison).
 */
public final class CompactionKillChild {
  static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t (id BIGINT PRIMARY KEY,"
      + " k BIGINT NOT NULL, b VARBINARY(1200) NOT NULL); CREATE INDEX IF NOT EXISTS t_k ON t(k);"
      + " CREATE TABLE IF NOT EXISTS s (id BIGINT PRIMARY KEY, k BIGINT NOT NULL,"
      + " v VARCHAR(400) NOT NULL); CREATE INDEX IF NOT EXISTS s_k ON s(k)";
  private static final int WRITERS = 2;
  /**
   * {@code -Dcompactionkill.probe=true}: the database through {@link ProbeDisk}, and an
   * {@code S <writer> <version> <version>} line when a chunk was written while a writer's
   * transaction was open.
   */
  private static final boolean PROBE = Boolean.getBoolean("compactionkill.probe");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    ReentrantLock writer = new ReentrantLock();
    if (PROBE) {
      ProbeDisk.install(writer, System.err);
    }
    Engine engine = args[3].equals("stock") ? new Stock(dir)
        : new H2Engine(dir, 0, writer, Integer.parseInt(args[2]), PROBE ? "probe" : "file");
    PrintStream out = System.out;
    List<List<Long>> live = new ArrayList<>();
    long[] next = new long[WRITERS];
    try (Connection c = engine.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(SCHEMA);
      c.commit();
      engine.flush(true);
      for (int w = 0; w < WRITERS; w++) {
        live.add(new ArrayList<>());
      }
      try (ResultSet rs = s.executeQuery("SELECT id FROM t")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          int w = (int) (id % WRITERS);
          live.get(w).add(id);
          next[w] = Math.max(next[w], id + WRITERS);
        }
      }
      c.commit();
    }
    for (int w = 0; w < WRITERS; w++) {
      next[w] = Math.max(next[w], w + WRITERS); // ids of writer w are w mod WRITERS, above 0
    }
    Thread compactor = new Thread(() -> {
      while (true) {
        long[] sizes = engine.compactIfSparse(50);
        if (sizes == null) {
          sleep(2);
        } else {
          synchronized (out) {
            out.println("C " + sizes[0] + " " + sizes[1]);
            out.flush();
          }
        }
      }
    }, "compactor");
    compactor.setDaemon(true);
    compactor.start();
    for (int w = 0; w < WRITERS; w++) {
      int self = w;
      Thread t = new Thread(() -> write(engine, writer, self, live.get(self), next[self],
          new Random(seed * 31 + self), out), "writer-" + w);
      t.start();
    }
    Thread side = new Thread(() -> writeAside(engine, writer, new Random(seed + 1)),
        "side-writer");
    side.setDaemon(true);
    side.start();
    Thread reader = new Thread(() -> read(engine, new Random(seed)), "reader");
    reader.setDaemon(true);
    reader.start();
    out.println("READY");
    out.flush();
  }

  private static void write(Engine engine, ReentrantLock writer, int self, List<Long> live,
      long next, Random random, PrintStream out) {
    try (Connection c = engine.connect()) {
      c.setAutoCommit(false);
      PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)");
      PreparedStatement delete = c.prepareStatement("DELETE FROM t WHERE id = ?");
      PreparedStatement change = c.prepareStatement("UPDATE t SET k = ? WHERE id = ?");
      while (true) {
        StringBuilder line = new StringBuilder("W ").append(self);
        writer.lock();
        try {
          long versionAtStart = PROBE ? version(c) : 0;
          // Grows to about 3,000 rows a writer, then inserts and deletes in balance, so that
          // chunks keep dying and the file stays sparse.
          int inserts = live.size() < 3_000 ? 1 + random.nextInt(12) : random.nextInt(8);
          for (int i = 0; i < inserts; i++) {
            long id = next;
            next += WRITERS;
            long k = random.nextLong();
            byte[] b = new byte[200 + random.nextInt(1000)];
            random.nextBytes(b);
            insert.setLong(1, id);
            insert.setLong(2, k);
            insert.setBytes(3, b);
            insert.executeUpdate();
            live.add(id);
            line.append(" +").append(id).append(':').append(k);
          }
          int deletes = live.size() > 100 ? random.nextInt(8) : 0;
          for (int i = 0; i < deletes; i++) {
            long id = live.remove(random.nextInt(live.size()));
            delete.setLong(1, id);
            delete.executeUpdate();
            line.append(" -").append(id);
          }
          int changes = live.isEmpty() ? 0 : random.nextInt(4);
          for (int i = 0; i < changes; i++) {
            long id = live.get(random.nextInt(live.size()));
            long k = random.nextLong();
            change.setLong(1, k);
            change.setLong(2, id);
            change.executeUpdate();
            line.append(" =").append(id).append(':').append(k);
          }
          if (PROBE && version(c) != versionAtStart) {
            synchronized (out) {
              out.println("S " + self + " " + versionAtStart + " " + version(c));
            }
          }
          synchronized (out) {
            out.println(line.append(" ."));
            out.flush();
          }
          c.commit();
        } finally {
          writer.unlock();
        }
        engine.flush(true);
        synchronized (out) {
          out.println("A " + self);
          out.flush();
        }
      }
    } catch (SQLException | RuntimeException e) {
      e.printStackTrace();
      System.exit(3);
    }
  }

  /**
   * Small transactions on table {@code s}, under the writer lock, that wait for no flush: the
   * next flush writes them with whatever else is committed. Exits with 5 when a write fails.
   */
  private static void writeAside(Engine engine, ReentrantLock lock, Random random) {
    try (Connection c = engine.connect()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      long next;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM s")) {
        rs.next();
        next = rs.getLong(1);
      }
      c.commit();
      PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)");
      PreparedStatement change = c.prepareStatement("UPDATE s SET k = ?, v = ? WHERE id = ?");
      PreparedStatement drop = c.prepareStatement("DELETE FROM s WHERE id < ?");
      while (true) {
        lock.lock();
        insert.setLong(1, next);
        insert.setLong(2, random.nextLong());
        insert.setString(3, "x".repeat(random.nextInt(400)));
        insert.executeUpdate();
        for (int i = random.nextInt(4); i > 0; i--) {
          change.setLong(1, random.nextLong());
          change.setString(2, "y".repeat(random.nextInt(400)));
          change.setLong(3, next - random.nextInt(500));
          change.executeUpdate();
        }
        drop.setLong(1, next - 2_000); // keeps about 2,000 rows
        drop.executeUpdate();
        c.commit();
        lock.unlock();
        next++;
        sleep(random.nextInt(3));
      }
    } catch (SQLException | RuntimeException e) {
      e.printStackTrace();
      System.exit(5);
    }
  }

  /**
   * Reads as PROPFIND does, in a snapshot (repeatable read) held for a while: the table by its
   * key, then by the index on k, 100 to 400 ms later; the two must agree within the snapshot.
   * Exits with 4 when they do not, or when a read fails.
   */
  private static void read(Engine engine, Random random) {
    try (Connection c = engine.connect()) {
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
      while (true) {
        long byKey = 0;
        long byIndex = 0;
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT id, k, LENGTH(b) FROM t")) {
          while (rs.next()) {
            byKey += rs.getLong(1) * 31 + rs.getLong(2);
          }
        }
        sleep(100 + random.nextInt(300));
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(
                "SELECT id, k FROM t USE INDEX (t_k) WHERE k >= -9223372036854775808")) {
          while (rs.next()) {
            byIndex += rs.getLong(1) * 31 + rs.getLong(2);
          }
        }
        engine.discard(c);
        if (byKey != byIndex) {
          System.err.println("in a snapshot, the table and the index on k disagree");
          System.exit(4);
        }
      }
    } catch (SQLException | RuntimeException e) {
      e.printStackTrace();
      System.exit(4);
    }
  }

  /** H2 as it comes: its own background writer and housekeeping, space reuse on (experiments). */
  private static final class Stock implements Engine {
    private final String url;
    private Connection flusher;

    Stock(Path dir) {
      url = "jdbc:h2:file:" + dir.resolve("depthdav").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override public boolean shared() {
      return false;
    }

    @Override public Connection connect() throws SQLException {
      return java.sql.DriverManager.getConnection(url, "sa", "");
    }

    @Override public synchronized long flush(boolean force,
        java.util.function.LongSupplier newest) throws SQLException {
      if (flusher == null) {
        flusher = connect();
      }
      try (Statement s = flusher.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
      return 0; // no more than GroupSync noted before the flush
    }

    @Override public void beginWrite(Connection c) { }

    @Override public void requireRoom() { }

    @Override public long bytes() {
      return 0;
    }

    @Override public long available() {
      return Long.MAX_VALUE;
    }

    @Override public String recoverFromWriteFailure(Exception e) {
      return null;
    }

    @Override public boolean leadPurging() {
      return true;
    }

    @Override public long[] compactIfSparse(int maxMillis) {
      return null;
    }

    @Override public void close() { }
  }

  /** H2's version: it changes when a chunk is written. */
  private static long version(Connection c) throws SQLException {
    return H2Engine.store(c).getCurrentVersion();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
