package dev.depthdav.store.jdbc;

import dev.depthdav.store.Dirs;
import dev.depthdav.store.DiskRoom;
import dev.depthdav.store.StoreException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2 embedded in a folder of the data folder (docs/ARCHITECTURE.md, "Durability"): by default H2
 * keeps a commit in memory until a background writer stores it, up to a second later, and that
 * writer's pipelined chunk writes can still be queued when a {@code CHECKPOINT SYNC} forces the
 * file. So the database is opened with {@code WRITE_DELAY=0}, which starts no background writer,
 * and then told to write nothing on commit: the group flush ({@link GroupSync}) writes the
 * commits of all waiting writers as one chunk, on the caller's thread and under the writer lock
 * ({@code CHECKPOINT}), then forces the file, before any of them is answered. A crash loses only
 * commits that were not yet answered. Chunks are appended
 * ({@code REUSE_SPACE=FALSE}), and the file is compacted when it is sparse. One process only.
 */
final class H2Engine implements Engine {
  /** Below this size the database file is never compacted (tests set it to 0). */
  static final long COMPACT_ABOVE = Long.getLong("depthdav.compactAboveBytes", 16L << 20);
  /** What a step of compaction rewrites and moves, at first (H2's compactFile: 16 MiB). */
  static final int STEP_BYTES = 1 << 20;
  /** The largest step: a chunk larger than a step cannot move. */
  static final int MAX_STEP_BYTES = 64 << 20;
  /**
   * How long a dead chunk's space is kept from compaction's writes: 45 s, H2's default (its
   * compactFile sets 0; tests of crash safety set another with {@code -Ddepthdav.retentionMs}).
   * With 0, compaction finds holes to fill from the start and its steps that move chunks hold
   * the writer lock longer: PUT p99 52-300 ms against 26-88 ms with 45 s (four runs of each),
   * for a database file of 186-405 MB against 291-549 MB
   * (bench/results/group-flush-20261203.md). CompactionKillTest ran
   * 200 rounds with 45 s without a problem; the losses once put down to 45 s were the test's
   * (bench/results/kill-consistency-20261202.md).
   */
  static final int RETENTION_MS = Integer.getInteger("depthdav.retentionMs", 45_000);
  /** Chunks less full than this are rewritten (H2's default autoCompactFillRate). */
  private static final int TARGET_FILL_RATE = 90;
  private static final Logger log = LoggerFactory.getLogger(H2Engine.class);
  /** H2's {@code OnExitDatabaseCloser.unregister(Database)}, which H2 calls when it closes. */
  private static final Method UNREGISTER = unregisterMethod();
  private final String url;
  private final int retentionMs;
  private final Path dir;
  /** Space left for the database: a write is refused before it could fill the disk. */
  private final DiskRoom room;
  /** The store's writer lock: reopening and compacting hold it. */
  private final ReentrantLock writer;
  /** Replaced, under the writer lock, when H2 failed a write and had to be reopened. */
  private volatile H2Sessions pool;
  /** The connection that runs flushes; replaced after a failure (guarded by this). */
  private Connection flusher;
  /** What the next step of compaction moves at most (the purger's thread only, as below). */
  private long moveBytes = STEP_BYTES;
  /** Whether the last step moved up to {@link #MAX_STEP_BYTES} and shrank nothing. */
  private boolean exhausted;
  /** The file's size after a slice that could do nothing, or -1. */
  private long fruitlessAt = -1;
  /**
   * When a step last rewrote live pages ({@link System#nanoTime}), valid once {@link #rewrote}:
   * the chunks they came from die then, and their space is given back only after the retention
   * time, so a slice that shrinks nothing before that is not fruitless.
   */
  private long rewroteAt;
  private boolean rewrote;
  /** Whether the folder has been forced since the database file was made (guarded by this). */
  private boolean fileNamed;

  H2Engine(Path dir, long minFreeBytes, ReentrantLock writer) throws IOException {
    this(dir, minFreeBytes, writer, RETENTION_MS);
  }

  /** Tests: compaction that may write over a chunk {@code retentionMs} after it died. */
  H2Engine(Path dir, long minFreeBytes, ReentrantLock writer, int retentionMs)
      throws IOException {
    this(dir, minFreeBytes, writer, retentionMs, "file");
  }

  /**
   * Tests: the file through H2's file system of {@code scheme} ({@code file}, the disk, for the
   * server; CompactionKillChild's probe wraps it).
   */
  H2Engine(Path dir, long minFreeBytes, ReentrantLock writer, int retentionMs, String scheme)
      throws IOException {
    Dirs.create(dir, Dirs::force);
    this.dir = dir;
    this.retentionMs = retentionMs;
    this.url = "jdbc:h2:" + scheme + ":" + dir.resolve("depthdav").toAbsolutePath()
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE;QUERY_CACHE_SIZE=64";
    this.room = new DiskRoom(dir, minFreeBytes);
    this.writer = writer;
    this.pool = newPool(url);
  }

  private static H2Sessions newPool(String url) {
    // WRITE_DELAY=0 makes each commit write its chunk before it returns, and starts no
    // background writer. H2 applies the URL's settings again to every new session (SET
    // WRITE_DELAY 0), so each new session is told again, before it is used, that a commit
    // stays in memory until the group flush writes the commits of every waiting writer as one
    // chunk (H2 still writes on its own when unsaved changes pass its memory limit). A negative
    // delay is what H2 sets when it stops its background writer: none runs.
    return new H2Sessions(url, 32, c -> {
      store(c).setAutoCommitDelay(-1);
      noCheckpointAtExit(c);
    });
  }

  /**
   * Takes the database off H2's own shutdown hook ({@code OnExitDatabaseCloser}), which, even
   * with {@code DB_CLOSE_ON_EXIT=FALSE}, runs {@code CHECKPOINT} on its own thread: a chunk
   * written without the writer lock, while requests may still be running their statements, so
   * that it can hold half of one (see {@link #flush}); if the process is killed before the
   * server's own shutdown hook has closed the database, that chunk is what recovery opens
   * (CompactionKillTest, SIGTERM). Every acknowledged commit is in the file already; the
   * server's hook closes the database after Jetty stopped.
   */
  private static void noCheckpointAtExit(Connection c) throws SQLException {
    try {
      UNREGISTER.invoke(null, database(c));
    } catch (ReflectiveOperationException e) {
      throw new SQLException("cannot take the database off H2's shutdown hook", e);
    }
  }

  private static Method unregisterMethod() {
    try {
      Method m = Class.forName("org.h2.engine.OnExitDatabaseCloser")
          .getDeclaredMethod("unregister", Database.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The H2 store of a session (CompactionKillChild reads its version). */
  static MVStore store(Connection c) throws SQLException {
    return database(c).getStore().getMvStore();
  }

  private static Database database(Connection c) throws SQLException {
    return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase();
  }

  @Override
  public boolean shared() {
    return false; // the database file is locked by the one process that has it open
  }

  @Override
  public Connection connect() throws SQLException {
    return pool.connect();
  }

  /**
   * Writes every commit so far as a chunk and, with {@code force}, forces the file to the disk.
   * The chunk is written under the writer lock, while no statement is changing a table: H2
   * writes the maps of a chunk one after another, and a statement of another thread that
   * changes a table and its index between them can leave the chunk with one change and not the
   * other, and without the undo entry that would take it back. After a kill the table and its
   * index then disagree (CompactionKillTest: with H2's own background writer too). The force,
   * the slow half, runs after the lock is released, so the next writers commit meanwhile.
   * When a write fails (a full disk fails H2's write and closes the database), the connection is
   * dropped and the next flush takes a new one; only a flush that succeeds makes any commit
   * count as durable. The writer lock is fair: the writers queued for it when the flush asked
   * commit first, and {@code newest}, read once the flush holds it, credits their commits to
   * this chunk too.
   */
  @Override
  public long flush(boolean force, LongSupplier newest) throws SQLException {
    MVStore mv;
    long covered;
    writer.lock();
    try {
      covered = newest.getAsLong(); // every commit holds the lock: none until it is given up
      synchronized (this) {
        if (flusher == null) {
          flusher = pool.connect();
        }
        try (Statement s = flusher.createStatement()) {
          s.execute("CHECKPOINT"); // writes what is committed and not yet in the file
          mv = store(flusher);
        } catch (SQLException e) {
          dropFlusher();
          throw e;
        }
      }
    } finally {
      writer.unlock();
    }
    if (force) {
      try {
        mv.sync();
      } catch (RuntimeException e) { // H2's MVStoreException, ERROR_WRITING_FAILED
        synchronized (this) {
          dropFlusher();
        }
        throw new SQLException("forcing the database file failed: " + e.getMessage(), e);
      }
      synchronized (this) {
        if (!fileNamed) {
          // the file's own name in the folder, made when H2 created the file
          Dirs.force(dir);
          fileNamed = true;
        }
      }
    }
    return covered;
  }

  private void dropFlusher() {
    try {
      if (flusher != null) {
        flusher.close();
      }
    } catch (SQLException ignored) {
      // it failed already
    }
    flusher = null;
  }

  /**
   * Ends with a commit when the session changed nothing, which keeps its parsed statements,
   * else with a rollback (H2Sessions#discard).
   */
  @Override
  public void discard(Connection c) throws SQLException {
    H2Sessions.discard(c);
  }

  @Override
  public void beginWrite(Connection c) {
    // one process: the store's writer lock serializes every writer there is
  }

  @Override
  public boolean leadPurging() {
    return true; // the only process
  }

  @Override
  public void requireRoom() {
    room.require(0);
  }

  @Override
  public long bytes() {
    try (var files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public long available() {
    return room.available();
  }

  /**
   * When H2 could not write its file (a full disk), its store refuses everything from then on,
   * reads included: the database is reopened from its file, under the writer lock, so that later
   * requests (reads at once, writes once there is room) work again; the file holds every commit
   * that was acknowledged, since each was written before its answer.
   */
  @Override
  public String recoverFromWriteFailure(Exception e) {
    if (!H2Errors.fileWriteFailed(e)) {
      return null;
    }
    writer.lock();
    try {
      if (!alive()) {
        log.warn("the database failed to write its file ({}); reopening it from the file",
            H2Errors.rootMessage(e));
        synchronized (this) {
          try {
            if (flusher != null) {
              flusher.close();
            }
          } catch (SQLException ignored) {
            // it failed with the database
          }
          flusher = null;
        }
        pool.abandon();
        pool = newPool(url);
      }
    } finally {
      writer.unlock();
    }
    return "the database could not write its file (" + H2Errors.rootMessage(e) + ")";
  }

  /**
   * Whether the database can still write. A query is no test: a session kept by the pool can
   * still read pages in memory after the store failed and closed, so the store is asked.
   */
  private boolean alive() {
    try (Connection c = pool.connect(); Statement st = c.createStatement()) {
      st.execute("SELECT 1 FROM node WHERE id = 1");
      MVStore mv = store(c);
      return !mv.isClosed() && mv.getPanicException() == null;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * A slice of compaction when the database file is larger than {@link #COMPACT_ABOVE} bytes and
   * sparse ({@link #sparse}). The file is opened without space reuse
   * (every chunk appended), so it only ever grows between compactions. The slice is a run of
   * short steps ({@link CompactionSlice}), each under the writer lock; a step does what H2's own
   * {@code compactFile} does in a round (rewrite the live pages of sparse chunks, force the file,
   * move chunks into the holes, which forces the file and rewrites the header around every move),
   * on {@link #STEP_BYTES} instead of 16 MiB, and the slice ends as soon as a request waits for
   * the writer lock.
   */
  @Override
  public long[] compactIfSparse(int maxMillis) {
    try (Connection c = pool.connect()) {
      MVStore mv = store(c);
      long before = mv.getFileStore().size();
      // Looked at without the writer lock, which only a compaction due takes. Moving chunks can
      // grow the file for a while: never start without room for all of it.
      if (before < COMPACT_ABOVE || !sparse(mv) || before <= fruitlessAt + COMPACT_ABOVE
          || room.available() < before) {
        return null;
      }
      long deadline = System.nanoTime() + maxMillis * 1_000_000L;
      exhausted = false;
      // How soon the space of a chunk that died may be written over (RETENTION_MS).
      mv.setRetentionTime(retentionMs);
      CompactionSlice.run(() -> step(mv), writer::hasQueuedThreads, deadline, System::nanoTime);
      long after = mv.getFileStore().size();
      // Moving as much as a step may gained nothing: try again once the file has grown, unless
      // chunks emptied by a rewrite are still waiting out the retention time.
      boolean waiting = rewrote
          && System.nanoTime() - rewroteAt < (retentionMs + 1_000L) * 1_000_000L;
      fruitlessAt = exhausted && after >= before && !waiting ? after : -1;
      return new long[] {before, after};
    } catch (SQLException e) {
      throw new StoreException("compacting the database failed: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the file is worth compacting: less than half of its chunks' space is live, or less
   * than half of its blocks are in use (the holes left by dropped chunks, which only moving
   * chunks and shrinking the file give back).
   */
  private static boolean sparse(MVStore mv) {
    return mv.getFileStore().getChunksFillRate() < 50 || mv.getFillRate() < 50;
  }

  /**
   * One step of compaction under the writer lock; returns whether there is more to do. It
   * rewrites the live pages of up to {@link #STEP_BYTES} of sparse chunks into a chunk at the end
   * of the file, then, with space reuse on for that part only, moves chunks into the holes (H2
   * moves nothing without it). The rewrite does not go into a hole, as H2's compactFile lets it:
   * the newest state stays at the end of the file, where recovery looks for it first (the
   * losses once put down to rewriting into holes were the kill test's own, in
   * bench/results/kill-consistency-20261202.md). H2 picks the chunks to move up to the size it
   * is given, so a chunk larger than that never moves: while moving shrinks nothing, each step
   * moves up to twice as much as the one before, up to {@link #MAX_STEP_BYTES}, and there is
   * nothing more to do once a step of that size neither rewrote nor shrank anything.
   */
  private boolean step(MVStore mv) {
    writer.lock();
    try {
      FileStore<?> file = mv.getFileStore();
      long size = file.size();
      boolean pagesRewritten;
      try {
        // H2 picks chunks to rewrite only while space reuse is on (with it off,
        // RandomAccessStore.getRewriteCandidates answers an empty list): on for the pick, which
        // only marks the live pages of the chosen chunks changed, off again before the commit
        // that writes them, at the end of the file.
        mv.setReuseSpace(true);
        try {
          pagesRewritten = mv.compact(TARGET_FILL_RATE, STEP_BYTES);
        } finally {
          mv.setReuseSpace(false);
        }
        if (pagesRewritten) {
          rewrote = true;
          rewroteAt = System.nanoTime();
        }
        mv.commit();
        mv.sync();
        mv.setReuseSpace(true);
        if (file instanceof RandomAccessStore chunks) {
          chunks.compactMoveChunks(TARGET_FILL_RATE, moveBytes, mv);
        }
      } catch (RuntimeException e) {
        try {
          endStep(mv);
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      // Before the writer lock goes, and with it the next flush (which takes that lock).
      endStep(mv);
      if (file.size() < size) {
        moveBytes = STEP_BYTES;
        return true;
      }
      exhausted = moveBytes >= MAX_STEP_BYTES;
      moveBytes = exhausted ? STEP_BYTES : moveBytes * 2;
      return pagesRewritten || !exhausted;
    } finally {
      writer.unlock();
    }
  }

  /**
   * Ends a step: space reuse off again, then a chunk written at the end of the file, so that on
   * reopening H2 finds the newest state there (docs/ARCHITECTURE.md, "Compaction"). Moving
   * writes chunks into holes, and H2 finds such a chunk after a crash only when the file's
   * header names it or a chunk at the end leads to it; the header it writes for a chunk in a hole
   * names the chunk before (FileStore.storeBuffer sets lastChunk after
   * RandomAccessStore.writeChunk wrote the header). Commits that waited for their flush while
   * the step ran may be in such a chunk, and the next flush, with nothing left to write, would
   * acknowledge them. A change of a setting (the store version, set to what it is) is what makes
   * H2 write the chunk.
   */
  private static void endStep(MVStore mv) {
    mv.setReuseSpace(false);
    mv.setStoreVersion(mv.getStoreVersion());
    mv.commit();
  }

  @Override
  public void close() {
    synchronized (this) {
      try {
        if (flusher != null) {
          flusher.close();
        }
      } catch (SQLException e) {
        // closing anyway
      }
    }
    pool.dispose();
  }
}
