package dev.depthdav.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;

/**
 * PostgreSQL, reached through a HikariCP pool. A commit is durable when it returns (the
 * server's {@code synchronous_commit}, on by default), so there is nothing to flush. Every write
 * transaction first takes one transaction-level advisory lock, so that writers are serialized
 * across every process using the database, as the store's own lock serializes them within one
 * (docs/ARCHITECTURE.md, "Storage engines").
 */
final class PostgresEngine implements Engine {
  /** The advisory lock key of the writers ("dav" in ASCII). */
  static final long WRITER_KEY = 0x646176L;
  /** The advisory lock key of the purger's lease ("dap"). */
  static final long PURGER_KEY = 0x646170L;
  private final HikariDataSource pool;
  /** The session that holds the purger's lease, while this process has it (guarded by this). */
  private Connection lease;

  PostgresEngine(String url, String user, String password) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setMaximumPoolSize(32);
    c.setPoolName("depthdav");
    // While the database is down a request waits this long for a connection, then gets 503.
    c.setConnectionTimeout(5_000);
    this.pool = new HikariDataSource(c);
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Connection connect() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public long flush(boolean force, LongSupplier newest) {
    return newest.getAsLong(); // synchronous_commit: each commit was durable when it returned
  }

  @Override
  public void beginWrite(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_advisory_xact_lock(" + WRITER_KEY + ")")) {
      rs.next();
    }
  }

  /**
   * The purger's lease is a session-level advisory lock held on a connection of its own: the
   * database releases it when that session ends, so when a process dies another takes over at
   * its next look.
   */
  @Override
  public synchronized boolean leadPurging() {
    try {
      if (lease != null && lease.isValid(2)) {
        return true;
      }
      if (lease != null) {
        lease.close();
        lease = null;
      }
      Connection c = pool.getConnection();
      boolean won;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + PURGER_KEY + ")")) {
        won = rs.next() && rs.getBoolean(1);
      }
      if (won) {
        lease = c;
      } else {
        c.close();
      }
      return won;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void requireRoom() {
    // the database server's disk is its own; a write it cannot store fails and rolls back
  }

  @Override
  public long bytes() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return 0;
    }
  }

  @Override
  public long available() {
    return Long.MAX_VALUE;
  }

  @Override
  public String recoverFromWriteFailure(Exception e) {
    return null;
  }

  @Override
  public long[] compactIfSparse(int maxMillis) {
    return null; // autovacuum's work
  }

  @Override
  public void close() {
    synchronized (this) {
      try {
        if (lease != null) {
          lease.close();
        }
      } catch (SQLException e) {
        // closing anyway
      }
    }
    pool.close();
  }
}
