package dev.depthdav.store.jdbc;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.OperationLog;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.blob.FileBlobStore;
import dev.depthdav.store.mem.MemOperationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The store in a SQL database: H2 embedded in the data folder, or PostgreSQL ({@link Engine}
 * holds the differences). Writers are serialized by one lock (and, across processes, by the
 * engine's), which keeps tree invariants (no cycles, unique names, id allocation) simple and
 * sure; readers run concurrently on snapshots (repeatable read) and never wait for writers.
 *
 * <p>Durability (docs/ARCHITECTURE.md, "Durability"): {@link #write} returns only once its
 * commit is durable: with fsync on, after an engine flush that began after the commit (H2's
 * {@code CHECKPOINT} under the writer lock, then a force of the file; nothing on PostgreSQL,
 * whose commit is durable when it returns); concurrent writers share one such flush
 * ({@link GroupSync}).
 */
public final class JdbcStore implements Store {
  /** Ids the mark moves at a time on a database of its own: most creations write no mark. */
  private static final long ID_BLOCK = 1024;
  private final Engine engine;
  private final BlobStore blobs;
  private final ReentrantLock writer;
  /** Row ids; on a shared database every write reads the mark again, so no block there. */
  private final Ids ids;
  private final Purger purger;
  private final GroupSync sync;
  private final StoreSettings settings;
  private final OperationLog operations;
  /** The write transaction this thread is in, so that nested work joins it. */
  private final ThreadLocal<JdbcTx> current = new ThreadLocal<>();

  private JdbcStore(Engine engine, ReentrantLock writer, BlobStore.Opener blobs,
      StoreSettings settings, boolean purge) throws IOException {
    this.settings = settings;
    this.engine = engine;
    this.writer = writer;
    this.ids = new Ids(engine.shared() ? 1 : ID_BLOCK);
    // Where other processes share the database, they share the blobs too: a blob is then
    // deleted only once unwritten for the orphan grace period (FileBlobStore, S3BlobStore).
    this.blobs = blobs.open(this::referenced, settings, engine.shared());
    try {
      Flyway.configure().dataSource(new EngineDataSource(engine))
          .locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      this.blobs.close(); // its connections and spool folder; the caller closes the engine
      throw e;
    }
    // Shared: in the database, for every process to read. Alone (H2): in memory, as long as the
    // process; a table write there would have to wait for the writer lock (see docs/ARCHITECTURE.md,
    // "Operations"), which a COPY holds for its whole run.
    this.operations = engine.shared() ? new JdbcOperationLog(this)
        : new MemOperationLog(h -> this.blobs.deleteIfUnreferenced(h, this::referenced));
    // Without fsync the flush still writes the commits to the file (H2 holds them in memory
    // until then), so a crash of the process loses nothing acknowledged.
    this.sync = new GroupSync(newest -> engine.flush(settings.fsync(), newest));
    writeToFree(tx -> { // recovery only hands rows to the purger: it may use the reserve
      ((JdbcTx) tx).recover();
      return null;
    });
    this.purger = new Purger(this);
    if (purge) {
      purger.start();
    }
  }

  /** Opens (creating if needed) the store under {@code data}: {@code db/} and {@code blobs/}. */
  public static JdbcStore open(Path data) {
    return open(data, StoreSettings.DEFAULTS);
  }

  /** As {@link #open(Path)}, with the given settings. */
  public static JdbcStore open(Path data, StoreSettings settings) {
    return open(data, settings, true);
  }

  /**
   * Opens a store for inspection ({@code check}): no background purger, so that nothing is
   * deleted while the checker compares rows and blobs.
   */
  public static JdbcStore openForCheck(Path data) {
    return open(data, StoreSettings.DEFAULTS, false);
  }

  private static JdbcStore open(Path data, StoreSettings settings, boolean purge) {
    return open(data, data.resolve("blobs"), settings, purge);
  }

  /**
   * Opens the store in H2 under {@code data/db} with its blobs in {@code blobDir}; without the
   * purger for inspection ({@code purge} false).
   */
  public static JdbcStore open(Path data, Path blobDir, StoreSettings settings, boolean purge) {
    return open(data, FileBlobStore.in(blobDir), settings, purge);
  }

  /** Opens the store in H2 under {@code data/db} with the blobs {@code blobs} opens. */
  public static JdbcStore open(Path data, BlobStore.Opener blobs, StoreSettings settings,
      boolean purge) {
    try {
      ReentrantLock writer = new ReentrantLock(true);
      Engine h2 = new H2Engine(data.resolve("db"), settings.minFreeBytes(), writer);
      return new JdbcStore(h2, writer, blobs, settings, purge);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data folder " + data, e);
    }
  }

  /**
   * Opens (migrating if needed) the store in a PostgreSQL database, with the blobs in
   * {@code blobDir}. Several processes may share the database: their writes are serialized by
   * the database's lock, and each reads the next free id again in every write.
   */
  public static JdbcStore openPostgres(String url, String user, String password, Path blobDir,
      StoreSettings settings, boolean purge) {
    return openPostgres(url, user, password, FileBlobStore.in(blobDir), settings, purge);
  }

  /** As above, with the blobs {@code blobs} opens (a folder, or an S3 bucket). */
  public static JdbcStore openPostgres(String url, String user, String password,
      BlobStore.Opener blobs, StoreSettings settings, boolean purge) {
    Engine pg = new PostgresEngine(url, user, password);
    try {
      return new JdbcStore(pg, new ReentrantLock(true), blobs, settings, purge);
    } catch (IOException | RuntimeException e) {
      pg.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new UncheckedIOException("cannot open the blobs", (IOException) e);
    }
  }

  @Override
  public <T> T read(Work<T> work) {
    JdbcTx joined = current.get();
    if (joined != null) {
      return work.run(joined); // inside a write: read what it has written so far
    }
    try (Connection c = engine.connect()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      T result;
      try {
        result = work.run(new JdbcTx(this, c, ids));
      } catch (RuntimeException | Error e) {
        discardAfter(c, e); // a 404 or a 409 found in a read is no reason to parse again
        throw e;
      }
      engine.discard(c); // it changed nothing (H2: a commit, which keeps the parsed statements)
      return result;
    } catch (SQLException | RuntimeException e) {
      throw failed(e, "database read failed");
    }
  }

  @Override
  public <T> T write(Work<T> work) {
    if (current.get() == null) {
      engine.requireRoom();
    }
    return writeToFree(work);
  }

  @Override
  public <T> T writeToFree(Work<T> work) {
    JdbcTx joined = current.get();
    if (joined != null) {
      return work.run(joined); // nested: one transaction, committed by the outermost write
    }
    T result;
    long ticket;
    JdbcTx tx;
    writer.lock();
    try (Connection c = engine.connect()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      engine.beginWrite(c);
      if (engine.shared()) {
        ids.forget(); // another process may have added rows since this one last wrote
      }
      tx = new JdbcTx(this, c, ids);
      current.set(tx);
      try {
        result = work.run(tx);
        ids.persist(c);
        c.commit();
        ids.committed();
        ticket = sync.committed();
      } catch (RuntimeException | Error e) {
        discardAfter(c, e);
        tx.discardStaged();
        throw e;
      } finally {
        current.remove();
      }
    } catch (SQLException | RuntimeException e) {
      throw failed(e, "database write failed");
    } finally {
      writer.unlock();
    }
    // Outside the writer lock, so that the next writers commit while this flush runs and share
    // the one after it.
    try {
      sync.await(ticket);
    } catch (GroupSync.FlushFailed e) {
      // The flush writes H2's commits: when that write failed, the database is reopened from
      // its file, which holds every commit that was answered, and this one is not among them.
      String lost = engine.recoverFromWriteFailure(e);
      throw new StoreException.InsufficientStorage(lost != null
          ? lost + "; this change was not stored"
          : "the change could not be made durable: " + e.getMessage(), e);
    }
    tx.afterDurable();
    if (tx.trashed()) {
      purgeSoon(); // a DELETE or an overwrite: the trash has rows to free
    }
    return result;
  }

  /**
   * Ends the transaction after {@code failure}, its changes undone ({@link Engine#discard}: on
   * H2 a rollback only when there are changes, since a rollback drops the session's parsed
   * statements). When the connection died (the database crashed or failed over), that fails
   * too; {@code failure} says what happened, so the second error is kept only as suppressed, and
   * the store still classifies the failure as unavailable (503).
   */
  private void discardAfter(Connection c, Throwable failure) {
    try {
      engine.discard(c);
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * What a failure of the database becomes. When the database could not write its file (H2 on a
   * full disk), the engine reopens it and the request that met the failure gets 507: nothing of
   * it is stored, and every acknowledged commit is in the file (each was written before its
   * answer).
   */
  private RuntimeException failed(Exception e, String what) {
    if (unreachable(e)) {
      return new StoreException.Unavailable(H2Errors.rootMessage(e) + "; nothing of this request was "
          + "stored", e);
    }
    String lost = engine.recoverFromWriteFailure(e);
    if (lost != null) {
      return new StoreException.InsufficientStorage(lost + "; nothing of this request was stored",
          e);
    }
    return e instanceof RuntimeException r ? r
        : new StoreException(what + ": " + e.getMessage(), e);
  }

  /**
   * Whether {@code e} says the database could not be reached: JDBC's connection exceptions,
   * SQLSTATE class 08 (connection exception), and PostgreSQL's 57P01-57P03 (the server shutting
   * down, crashed, or not yet accepting connections).
   */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null
          && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P0"))) {
        return true;
      }
    }
    return false;
  }


  /** A slice of compaction when the storage is sparse (H2): sizes before and after, or null. */
  long[] compactIfSparse(int maxMillis) {
    return engine.compactIfSparse(maxMillis);
  }

  /** A connection of its own, for work that commits apart from the caller's transaction. */
  Connection sideConnection() throws SQLException {
    Connection c = engine.connect();
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return c;
  }

  /**
   * Whether a row names the blob, in the state that is on disk or about to be. The read may see
   * commits not yet flushed, among them one that dropped the blob's last reference (an
   * overwrite, say); the blob may go only once those are durable too, or a crash would bring
   * back a row naming a deleted blob. So when no row names it, this waits for every commit the
   * read could have seen to be flushed; when that fails, the blob counts as referenced.
   */
  boolean referenced(String hash) {
    boolean named = read(tx -> JdbcTx.sql(() -> {
      try (PreparedStatement ps = ((JdbcTx) tx).connection().prepareStatement(
          "SELECT 1 FROM blob b JOIN node n ON n.blob_seq = b.seq WHERE b.hash = ? "
              + "FETCH FIRST 1 ROWS ONLY")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }));
    if (named || operations.names(hash)) {
      return true; // a row, or the captured result of an operation
    }
    long seen;
    writer.lock(); // no commit is between its commit and its ticket while this is held
    try {
      seen = sync.latest();
    } finally {
      writer.unlock();
    }
    try {
      sync.await(seen);
      return false;
    } catch (GroupSync.FlushFailed e) {
      return true;
    }
  }

  StoreSettings settings() {
    return settings;
  }

  /**
   * Space left for writes on the data folder's file system(s) (free space less the reserve), and
   * the bytes of the blobs and the database file. Storage without a notion of free space (an S3
   * bucket) leaves the database's figure, or {@link BlobStore#UNKNOWN} when it has none either.
   */
  @Override
  public Space space() {
    long blobRoom = blobs.available();
    long room = blobRoom == BlobStore.UNKNOWN ? engine.available()
        : Math.min(engine.available(), blobRoom);
    return new Space(room == Long.MAX_VALUE ? BlobStore.UNKNOWN : room,
        blobs.bytes() + engine.bytes());
  }

  /** Whether request threads are waiting for the writer lock (the purger then yields). */
  boolean writersWaiting() {
    return writer.hasQueuedThreads();
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  /**
   * Content up to 16 KiB is kept in its {@code blob} row (V11__inline_content.sql): a write of it
   * is then one commit, forced with the others of its group flush, where a blob file costs two
   * forces of its own (the file, then its folder for the new name) outside the writer lock.
   */
  public static final int INLINE_MAX = 16 * 1024;

  @Override
  public int inlineMax() {
    return INLINE_MAX;
  }

  @Override
  public OperationLog operations() {
    return operations;
  }

  /** Whether this process purges (one at a time on a shared database). */
  public boolean leadsPurging() {
    return engine.leadPurging();
  }

  /** How many times the purger was woken. */
  long purgerWakes() {
    return purger.wakes();
  }

  /** Wakes the background purger. */
  void purgeSoon() {
    purger.wake();
  }

  /** Purges everything detached so far, now, on the caller's thread. */
  public void purgeNow() {
    purger.drain();
  }

  @Override
  public void close() {
    purger.stop();
    engine.close();
    blobs.close();
  }
}
