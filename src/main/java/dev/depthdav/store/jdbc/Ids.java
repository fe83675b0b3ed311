package dev.depthdav.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Allocates row ids under the writers' lock, never twice: the next free id is read from
 * {@code id_mark} (and from the rows, which a staged copy may have committed past the mark on a
 * side connection), and every write that allocated ids moves the mark before it commits. Ids of
 * a rolled-back transaction are not handed out again by this process.
 *
 * <p>The mark may be moved ahead of need by a block of ids, so that most writes need not
 * update it: the ids between the last one used and the mark are then never used, which costs
 * nothing. Where other processes share the table, each write reads the mark again, so the block
 * is one id there (a larger one would skip a block per write).
 */
final class Ids {
  private final long block;
  private long next = -1;
  /** The mark as last read or committed: the allocations past it must be written. */
  private long marked = -1;
  /** The mark written by the transaction now committing; it counts once that commits. */
  private long writing = -1;

  /** Ids whose mark is moved {@code block} ids at a time (at least one). */
  Ids(long block) {
    this.block = Math.max(1, block);
  }

  /** The next free id; the first call after {@link #forget} reads the mark and the rows. */
  long next(Connection c) throws SQLException {
    if (next < 0) {
      marked = read(c);
      next = Math.max(next, marked);
    }
    return next++;
  }

  /** Reserves {@code count} consecutive ids starting at the returned one. */
  long reserve(Connection c, long count) throws SQLException {
    long first = next(c);
    next = first + count;
    return first;
  }

  /**
   * Forgets the next free id, so that the next call reads the table again: in a write, where
   * other processes wrote before this one took the writers' lock.
   */
  void forget() {
    next = -1;
  }

  /**
   * Moves the mark past every id handed out (by a block, when the mark is passed), in the
   * transaction of {@code c} (before commit).
   */
  void persist(Connection c) throws SQLException {
    if (next <= marked) {
      return;
    }
    long mark = next + block - 1;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE id_mark SET next_id = ? WHERE next_id < ?")) {
      ps.setLong(1, mark);
      ps.setLong(2, mark);
      ps.executeUpdate();
    }
    writing = mark;
  }

  /**
   * The transaction that called {@link #persist} committed: its mark holds. Without this call
   * (a rollback, a failed commit) the next write that hands out an id writes the mark again.
   */
  void committed() {
    marked = Math.max(marked, writing);
    writing = -1;
  }

  private static long read(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet mark = s.executeQuery("SELECT next_id FROM id_mark")) {
      long m = mark.next() ? mark.getLong(1) : 3;
      try (ResultSet rows = s.executeQuery("SELECT MAX(id) FROM node")) {
        rows.next();
        return Math.max(m, Math.max(rows.getLong(1), 2) + 1);
      }
    }
  }
}
