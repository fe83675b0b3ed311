package dev.depthdav.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Allocates row ids under the store's writer lock: never reused, read once from the table. Ids
 * of a rolled-back transaction are not handed out again: a staged copy may have committed rows
 * with them on a side connection.
 */
final class Ids {
  private long next = -1;

  /** The next free id; the first call reads the table's maximum. */
  long next(Connection c) throws SQLException {
    if (next < 0) {
      next = max(c) + 1;
    }
    return next++;
  }

  /** Reserves {@code count} consecutive ids starting at the returned one. */
  long reserve(Connection c, long count) throws SQLException {
    long first = next(c);
    next = first + count;
    return first;
  }

  private static long max(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(id) FROM node")) {
      rs.next();
      return Math.max(rs.getLong(1), 2);
    }
  }
}
