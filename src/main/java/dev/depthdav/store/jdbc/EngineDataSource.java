package dev.depthdav.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** An engine's connections as a {@link DataSource}, for Flyway. */
final class EngineDataSource implements DataSource {
  private final Engine engine;

  EngineDataSource(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return engine.connect();
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return engine.connect();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
