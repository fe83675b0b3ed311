package dev.depthdav.store.h2;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DiskRoom;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.blob.FileBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store in an embedded H2 database. Writers are serialized by one lock, which keeps tree
 * invariants (no cycles, unique names, id allocation) simple and sure; readers run concurrently
 * on snapshots (repeatable read) and never wait for writers.
 *
 * <p>Durability (docs/ARCHITECTURE.md, "Durability"): by default H2 keeps a commit in memory
 * until a background writer stores it, up to a second later, and that writer's pipelined chunk
 * writes can still be queued when a {@code CHECKPOINT SYNC} forces the file. So the database is
 * opened with {@code WRITE_DELAY=0}: no background writer, and every commit writes its chunk to
 * the file before it returns (a process crash loses nothing). With fsync on, {@link #write}
 * then returns only after a {@code CHECKPOINT SYNC} that began after its commit has forced the
 * file to the disk (a power failure loses nothing); concurrent writers share one such flush
 * ({@link GroupSync}).
 */
public final class H2Store implements Store {
  /** Below this size the database file is never compacted (tests set it to 0). */
  static final long COMPACT_ABOVE = Long.getLong("depthdav.compactAboveBytes", 16L << 20);
  private static final Logger log = LoggerFactory.getLogger(H2Store.class);
  private final String url;
  /** Replaced, under the writer lock, when H2 failed a write and had to be reopened. */
  private volatile JdbcConnectionPool pool;
  private final FileBlobStore blobs;
  private final ReentrantLock writer = new ReentrantLock(true);
  private final Ids ids = new Ids();
  private final Purger purger;
  /** The connection that runs flushes; replaced after a failure (guarded by itself). */
  private Connection flusher;
  private final GroupSync sync;
  private final StoreSettings settings;
  /** Space left for the database: a write is refused before it could fill the disk. */
  private final DiskRoom dbRoom;
  private final Path dbDir;
  /** The write transaction this thread is in, so that nested work joins it. */
  private final ThreadLocal<H2Tx> current = new ThreadLocal<>();

  private H2Store(String url, Path dbDir, Path blobDir, StoreSettings settings, boolean purge)
      throws IOException {
    this.settings = settings;
    this.blobs = new FileBlobStore(blobDir, settings.fsync(), this::referenced,
        settings.minFreeBytes());
    this.dbRoom = new DiskRoom(dbDir, settings.minFreeBytes());
    this.dbDir = dbDir;
    this.url = url;
    this.pool = newPool(url);
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    this.sync = new GroupSync(settings.fsync() ? () -> flush("CHECKPOINT SYNC") : () -> { });
    writeToFree(tx -> { // recovery only hands rows to the purger: it may use the reserve
      ((H2Tx) tx).recover();
      return null;
    });
    this.purger = new Purger(this);
    if (purge) {
      purger.start();
    }
  }

  /** Opens (creating if needed) the store under {@code data}: {@code db/} and {@code blobs/}. */
  public static H2Store open(Path data) {
    return open(data, StoreSettings.DEFAULTS);
  }

  /** As {@link #open(Path)}, with the given settings. */
  public static H2Store open(Path data, StoreSettings settings) {
    return open(data, settings, true);
  }

  /**
   * Opens a store for inspection ({@code check}): no background purger, so that nothing is
   * deleted while the checker compares rows and blobs.
   */
  public static H2Store openForCheck(Path data) {
    return open(data, StoreSettings.DEFAULTS, false);
  }

  private static H2Store open(Path data, StoreSettings settings, boolean purge) {
    try {
      Files.createDirectories(data.resolve("db"));
      String url = "jdbc:h2:file:" + data.resolve("db").resolve("depthdav").toAbsolutePath()
          + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE";
      return new H2Store(url, data.resolve("db"), data.resolve("blobs"), settings, purge);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data folder " + data, e);
    }
  }

  @Override
  public <T> T read(Work<T> work) {
    H2Tx joined = current.get();
    if (joined != null) {
      return work.run(joined); // inside a write: read what it has written so far
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        return work.run(new H2Tx(this, c, ids));
      } finally {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      throw failed(e, "database read failed");
    }
  }

  @Override
  public <T> T write(Work<T> work) {
    if (current.get() == null) {
      dbRoom.require(0);
    }
    return writeToFree(work);
  }

  @Override
  public <T> T writeToFree(Work<T> work) {
    H2Tx joined = current.get();
    if (joined != null) {
      return work.run(joined); // nested: one transaction, committed by the outermost write
    }
    T result;
    long ticket;
    H2Tx tx;
    writer.lock();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      tx = new H2Tx(this, c, ids);
      current.set(tx);
      try {
        result = work.run(tx);
        c.commit();
        ticket = sync.committed();
      } catch (RuntimeException | Error e) {
        c.rollback();
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
      throw new StoreException.InsufficientStorage(
          "the change could not be made durable: " + e.getMessage(), e);
    }
    tx.afterDurable();
    if (tx.trashed()) {
      purgeSoon(); // a DELETE or an overwrite: the trash has rows to free
    }
    return result;
  }

  private static JdbcConnectionPool newPool(String url) {
    JdbcConnectionPool p = JdbcConnectionPool.create(url, "sa", "");
    p.setMaxConnections(32);
    return p;
  }

  /**
   * What a failure of the database becomes. When H2 could not write its file (a full disk), its
   * store refuses everything from then on, reads included: the database is reopened from its
   * file, under the writer lock, so that later requests (reads at once, writes once there is
   * room) work again; the file holds every commit that was acknowledged, since each was written
   * before its answer. The request that met the failure gets 507 and nothing of it is stored.
   */
  private RuntimeException failed(Exception e, String what) {
    if (H2Errors.fileWriteFailed(e)) {
      reopen(e);
      return new StoreException.InsufficientStorage("the database could not write its file ("
          + H2Errors.rootMessage(e) + "); nothing of this request was stored", e);
    }
    return e instanceof RuntimeException r ? r
        : new StoreException(what + ": " + e.getMessage(), e);
  }

  private void reopen(Exception cause) {
    writer.lock();
    try {
      if (alive()) {
        return; // another thread reopened it already
      }
      log.warn("the database failed to write its file ({}); reopening it from the file",
          H2Errors.rootMessage(cause));
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
      pool.dispose();
      pool = newPool(url);
    } finally {
      writer.unlock();
    }
  }

  private boolean alive() {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT 1 FROM node WHERE id = 1");
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Forces every commit to the disk. When it fails (a full disk fails H2's write and closes the
   * database), the connection is dropped and the next flush takes a new one: the database H2
   * then opens holds every commit that had written its chunk, which is every commit that got a
   * ticket, and only a flush that succeeds makes any of them count as durable.
   */
  private synchronized void flush(String checkpoint) throws SQLException {
    if (flusher == null) {
      flusher = pool.getConnection();
    }
    try (Statement s = flusher.createStatement()) {
      s.execute(checkpoint);
    } catch (SQLException e) {
      try {
        flusher.close();
      } catch (SQLException ignored) {
        // it failed already
      }
      flusher = null;
      throw e;
    }
  }

  /**
   * Rewrites the database file compactly when it is larger than {@link #COMPACT_ABOVE} bytes and
   * less than half of its chunks' space is live data. The file is
   * opened without space reuse (every chunk appended, see the class comment), so it only ever
   * grows between compactions. Compaction runs H2's own {@code compactFile}, which moves chunks
   * into the holes, forcing the file and rewriting the file header before it frees anything, with
   * space reuse switched on for the duration only and the writer lock held, so that no commit
   * of a request is written into a hole. Returns the file's size before and after, in bytes.
   */
  long[] compactIfSparse(int maxMillis) {
    try (Connection c = pool.getConnection()) {
      MVStore mv = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase()
          .getStore().getMvStore();
      long before = mv.getFileStore().size();
      // Looked at without the writer lock, which only a compaction due takes. Moving chunks can
      // grow the file for a while: never start without room for all of it.
      if (before < COMPACT_ABOVE || mv.getFileStore().getChunksFillRate() >= 50
          || dbRoom.available() < before) {
        return new long[] {before, before};
      }
      writer.lock();
      try {
        mv.setReuseSpace(true);
        try {
          mv.compactFile(maxMillis);
        } finally {
          mv.setReuseSpace(false);
        }
      } finally {
        writer.unlock();
      }
      return new long[] {before, mv.getFileStore().size()};
    } catch (SQLException e) {
      throw new StoreException("compacting the database failed: " + e.getMessage(), e);
    }
  }

  /** A connection of its own, for work that commits apart from the caller's transaction. */
  Connection sideConnection() throws SQLException {
    Connection c = pool.getConnection();
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
    boolean named = read(tx -> H2Tx.sql(() -> {
      try (PreparedStatement ps = ((H2Tx) tx).connection().prepareStatement(
          "SELECT 1 FROM node WHERE blob_hash = ? FETCH FIRST 1 ROWS ONLY")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }));
    if (named) {
      return true;
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
   * the bytes of the blobs and the database file.
   */
  @Override
  public Space space() {
    long db;
    try (var files = Files.list(dbDir)) {
      db = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      db = 0;
    }
    return new Space(Math.min(dbRoom.available(), blobs.room().available()), blobs.bytes() + db);
  }

  /** Whether request threads are waiting for the writer lock (the purger then yields). */
  boolean writersWaiting() {
    return writer.hasQueuedThreads();
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  /** The blob store, with the listing that consistency checks need. */
  public FileBlobStore fileBlobs() {
    return blobs;
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
