package dev.depthdav.store.h2;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.blob.FileBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The store in an embedded H2 database. Writers are serialized by one lock, which keeps tree
 * invariants (no cycles, unique names, id allocation) simple and sure; readers run concurrently
 * on snapshots (repeatable read) and never wait for writers.
 */
public final class H2Store implements Store {
  private final JdbcConnectionPool pool;
  private final FileBlobStore blobs;
  private final ReentrantLock writer = new ReentrantLock(true);
  private final Ids ids = new Ids();
  private final Purger purger;
  /** The write transaction this thread is in, so that nested work joins it. */
  private final ThreadLocal<H2Tx> current = new ThreadLocal<>();

  private H2Store(String url, FileBlobStore blobs) {
    this.pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(32);
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    this.blobs = blobs;
    this.purger = new Purger(this);
    purger.start();
  }

  /** Opens (creating if needed) the store under {@code data}: {@code db/} and {@code blobs/}. */
  public static H2Store open(Path data) {
    return open(data, true);
  }

  /** As {@link #open(Path)}; without {@code fsync}, blobs are not forced to disk. */
  public static H2Store open(Path data, boolean fsync) {
    try {
      Files.createDirectories(data.resolve("db"));
      String url = "jdbc:h2:file:" + data.resolve("db").resolve("depthdav").toAbsolutePath()
          + ";DB_CLOSE_ON_EXIT=FALSE";
      return new H2Store(url, new FileBlobStore(data.resolve("blobs"), fsync));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data folder " + data, e);
    }
  }

  /** Opens a store on any H2 URL (tests use in-memory databases) with blobs under a folder. */
  public static H2Store open(String url, Path blobDir) {
    try {
      return new H2Store(url, new FileBlobStore(blobDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
        return work.run(new H2Tx(c, ids));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new StoreException("database read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public <T> T write(Work<T> work) {
    H2Tx joined = current.get();
    if (joined != null) {
      return work.run(joined); // nested: one transaction, committed by the outermost write
    }
    writer.lock();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      long mark = ids.mark();
      H2Tx tx = new H2Tx(c, ids);
      current.set(tx);
      try {
        T result = work.run(tx);
        c.commit();
        return result;
      } catch (RuntimeException | Error e) {
        c.rollback();
        ids.reset(mark);
        throw e;
      } finally {
        current.remove();
      }
    } catch (SQLException e) {
      throw new StoreException("database write failed: " + e.getMessage(), e);
    } finally {
      writer.unlock();
    }
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

  @Override
  public void purgeSoon() {
    purger.wake();
  }

  /** Purges everything detached so far, now, on the caller's thread. */
  public void purgeNow() {
    purger.drain();
  }

  @Override
  public void close() {
    purger.stop();
    pool.dispose();
  }
}
