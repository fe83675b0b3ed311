package dev.depthdav.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;

/**
 * What differs between the databases the store runs on (H2 embedded, PostgreSQL), in one place;
 * everything else, SQL included, is shared by {@link JdbcStore} and {@link JdbcTx}.
 */
interface Engine extends AutoCloseable {

  /**
   * Whether other processes may write the same database: then what a process caches of the
   * rows (the next free id) is read again in every write.
   */
  boolean shared();

  /** A pooled connection. */
  Connection connect() throws SQLException;

  /**
   * The group flush ({@link GroupSync}): writes every commit so far to the database's file and,
   * with {@code force}, forces it to the disk; nothing where a commit is durable when it returns.
   * Returns the ticket of the newest commit it made durable: {@code newest}, read where no commit
   * can happen until the flush has taken what it writes (under the writer lock every commit
   * holds).
   */
  long flush(boolean force, LongSupplier newest) throws SQLException;

  /** The group flush, where no tickets are counted (tests). */
  default void flush(boolean force) throws SQLException {
    flush(force, () -> 0);
  }

  /**
   * Ends a transaction whose changes are not kept: a read, which changed nothing, or a write
   * that failed. By default a rollback.
   */
  default void discard(Connection c) throws SQLException {
    c.rollback();
  }

  /**
   * Called first in every write transaction: where other processes may write the same database,
   * it takes the database's own lock that serializes writers (the store's in-process lock covers
   * this process only).
   */
  void beginWrite(Connection c) throws SQLException;

  /** Refuses a growing write (507) when the database has no room left for it. */
  void requireRoom();

  /** Bytes the database takes, and bytes left for it (Long.MAX_VALUE when unknown). */
  long bytes();

  long available();

  /**
   * When {@code e} means the database could not write its file and had to be reopened: reopens
   * it and returns what went wrong; null for any other failure.
   */
  String recoverFromWriteFailure(Exception e);

  /**
   * Whether this process is the one that purges (takes the lease when free, keeps it while it
   * lives): always, where no other process shares the database.
   */
  boolean leadPurging();

  /**
   * Compacts the database's storage for about {@code maxMillis} when that is due; returns the
   * file's sizes before and after that slice, or null when nothing was due.
   */
  long[] compactIfSparse(int maxMillis);

  @Override
  void close();
}
