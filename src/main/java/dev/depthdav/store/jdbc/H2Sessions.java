package dev.depthdav.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * A pool of embedded H2 sessions that keeps each session's parsed statements. H2 keeps the
 * commands it parsed per session (the URL's {@code QUERY_CACHE_SIZE}) but drops them all on
 * every rollback, and H2's own {@code JdbcConnectionPool} rolls back each connection it takes
 * back, so its sessions parsed every statement again on every request. Here a connection given
 * back is rolled back only when its session holds uncommitted changes; see {@link #discard}.
 */
final class H2Sessions {
  /** How long {@link #connect} waits for a session when all are in use. */
  private static final long WAIT_SECONDS = 30;
  private final String url;
  private final Semaphore permits;
  /** Idle sessions, the most recently used first (its statements are the warmest). */
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean disposed;
  /** The database the sessions belong to (H2 shares one per URL in the process). */
  private volatile Database database;

  /** What is done to each new session before it is first handed out. */
  @FunctionalInterface
  interface Opened {
    void accept(Connection c) throws SQLException;
  }

  private final Opened opened;

  H2Sessions(String url, int max, Opened opened) {
    this.url = url;
    this.permits = new Semaphore(max, true);
    this.opened = opened;
  }

  /** A session of the pool; closing the connection gives it back. */
  Connection connect() throws SQLException {
    try {
      if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new SQLTransientConnectionException("no free database session within "
            + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted waiting for a database session");
    }
    try {
      Connection physical;
      synchronized (this) {
        if (disposed) {
          throw new SQLTransientConnectionException("the database is being reopened");
        }
        physical = idle.pollFirst();
      }
      if (physical == null) {
        physical = DriverManager.getConnection(url, "sa", "");
        opened.accept(physical);
        if (database == null) {
          database = ((SessionLocal) physical.unwrap(JdbcConnection.class).getSession())
              .getDatabase();
        }
      }
      return handle(physical);
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Ends a transaction whose changes are not kept (a read, or a write that failed): with a
   * commit when the session changed nothing, which keeps its parsed statements, else with a
   * rollback, which undoes the changes and drops them. A read never changes anything; a write
   * that failed usually failed before it changed anything (a precondition, a missing parent).
   */
  static void discard(Connection c) throws SQLException {
    if (pending(c)) {
      c.rollback();
    } else {
      c.commit();
    }
  }

  private static boolean pending(Connection c) throws SQLException {
    return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).hasPendingTransaction();
  }

  /**
   * After H2 failed to write its file: closes the database itself, and with it every session,
   * in use or not. A session that failed may stay open in H2 and keep the failed database
   * registered, and a new session would then join it instead of opening the file again.
   */
  void abandon() {
    Database d = database;
    dispose();
    if (d != null) {
      d.shutdownImmediately();
    }
  }

  /** Closes the idle sessions; sessions in use are closed when they are given back. */
  void dispose() {
    Deque<Connection> closing;
    synchronized (this) {
      disposed = true;
      closing = new ArrayDeque<>(idle);
      idle.clear();
    }
    closing.forEach(H2Sessions::closeQuietly);
  }

  private void giveBack(Connection physical) {
    boolean keep;
    try {
      if (!physical.isClosed() && pending(physical)) {
        physical.rollback(); // a caller that neither committed nor rolled back
      }
      if (!physical.isClosed() && !physical.getAutoCommit()) {
        physical.setAutoCommit(true); // commits nothing: the session has no changes now
      }
      synchronized (this) {
        keep = !disposed && !physical.isClosed();
        if (keep) {
          idle.addFirst(physical);
        }
      }
    } catch (SQLException | RuntimeException e) {
      keep = false; // a broken session (a failed database): never handed out again
    }
    if (!keep) {
      closeQuietly(physical);
    }
    permits.release();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }

  /** The connection a caller sees: the session's, except that closing it gives it back. */
  private Connection handle(Connection physical) {
    InvocationHandler h = new InvocationHandler() {
      private boolean closed;

      @Override
      public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
          case "close":
            if (!closed) {
              closed = true;
              giveBack(physical);
            }
            return null;
          case "isClosed":
            return closed || physical.isClosed();
          default:
            if (closed) {
              throw new SQLException("connection closed");
            }
            try {
              return m.invoke(physical, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
        }
      }
    };
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, h);
  }
}
