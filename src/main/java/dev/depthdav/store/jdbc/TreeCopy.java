package dev.depthdav.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * A set-based copy of a subtree: its ids are gathered level by level into a temporary table,
 * {@code copy_ids} (one INSERT ... SELECT per level), then rows and properties are copied by
 * ranges of ids, one statement each per range, so that a long copy reports its progress as it
 * goes. New ids are the old ones shifted by a constant offset past every id in use, so parent
 * links are rewritten by the same arithmetic, without a per-row round trip.
 *
 * <p>A copy with members is built on a side connection, one committed transaction per range,
 * under the hidden {@code STAGING} row, where no request can see it; the caller's transaction
 * then publishes it with one row update. No transaction is ever larger than a range, whatever
 * the tree's size, and a crash leaves either the published copy or staged rows that start-up
 * recovery hands to the purger. The caller holds the writer lock throughout, so the source
 * cannot change between ranges.
 */
final class TreeCopy {
  /** Ids per range: large enough that the statements stay few, small enough to show progress. */
  static final long CHUNK = 16_384;

  private final JdbcTx tx;
  private final Ids ids;
  private final long chunk;

  TreeCopy(JdbcTx tx, Ids ids, long chunk) {
    this.tx = tx;
    this.ids = ids;
    this.chunk = chunk;
  }

  /**
   * Copies {@code src} (with its members when {@code deep}), telling {@code copied} the number
   * of rows copied after each range; returns the copy's id. A deep copy is left staged under
   * {@code STAGING} for the caller to publish.
   */
  long copy(long src, long newParent, String newName, boolean deep, Instant now,
      LongConsumer copied) {
    if (!deep) {
      return JdbcTx.sql(() -> run(tx.connection(), src, newParent, newName, false, now, copied));
    }
    return JdbcTx.sql(() -> {
      try (Connection side = tx.store().sideConnection()) {
        try {
          return run(side, src, JdbcTx.STAGING, null, true, now, copied);
        } catch (SQLException | RuntimeException e) {
          side.rollback();
          throw e;
        }
      }
    });
  }

  /**
   * The copy on connection {@code c}; when it is a side connection ({@code deep}) each range is
   * committed as it is copied and the copy's root is named {@code #id} under {@code newParent}.
   */
  private long run(Connection c, long src, long newParent, String newName, boolean deep,
      Instant now, LongConsumer copied) throws SQLException {
    long minId = src;
    long maxId = src;
    // A deep copy's rows are those whose ids are gathered in copy_ids; a shallow one's, src.
    String rowsIn = "FROM node n WHERE n.id BETWEEN ? AND ?";
    String propsIn = "FROM prop p WHERE p.node_id BETWEEN ? AND ?";
    if (deep) {
      gather(c, src);
      minId = scalar(c, "SELECT MIN(id) FROM copy_ids");
      maxId = scalar(c, "SELECT MAX(id) FROM copy_ids");
      rowsIn = "FROM node n JOIN copy_ids w ON n.id = w.id WHERE w.id BETWEEN ? AND ?";
      propsIn = "FROM prop p JOIN copy_ids w ON p.node_id = w.id WHERE w.id BETWEEN ? AND ?";
    }
    long first = ids.reserve(tx.connection(), maxId - minId + 1);
    long offset = first - minId;
    String rootName = deep ? "#" + (src + offset) : newName;
    if (deep) {
      tx.staged(src + offset); // from here on, a failure leaves rows to discard
    }
    long ms = now.toEpochMilli();
    String etagPrefix = JdbcTx.newEtag().substring(0, 16) + "-";
    for (long lo = minId; lo <= maxId; lo += chunk) {
      long hi = Math.min(maxId, lo + chunk - 1);
      int rows = update(c, "INSERT INTO node (id, parent_id, name, is_collection, size_bytes, "
          + "blob_hash, blob_seq, content_type, etag, created_ms, modified_ms) "
          + "SELECT n.id + ?, CASE WHEN n.id = ? THEN ? ELSE n.parent_id + ? END, "
          + "CASE WHEN n.id = ? THEN ? ELSE n.name END, n.is_collection, n.size_bytes, "
          + "n.blob_hash, n.blob_seq, n.content_type, ? || CAST(n.id + ? AS VARCHAR(20)), ?, ? "
          + rowsIn, offset, src, newParent, offset, src, rootName, etagPrefix, offset, ms, ms,
          lo, hi);
      update(c, "INSERT INTO prop (node_id, ns, local_name, xml) "
          + "SELECT p.node_id + ?, p.ns, p.local_name, p.xml " + propsIn, offset, lo, hi);
      commitIf(c, deep);
      if (rows > 0) {
        copied.accept(rows);
      }
    }
    if (deep) {
      update(c, "DROP TABLE copy_ids");
      c.commit();
    }
    return src + offset;
  }

  /**
   * Gathers the ids of the subtree of {@code src} into {@code copy_ids}, level by level, one
   * statement each: a temporary table of the side connection's session, dropped whole at the
   * end rather than emptied row by row (and on reuse of the session, should a failure have left
   * it); neither database keeps it past the session, so a crash leaves nothing to clean. H2
   * commits before a CREATE: the side connection has nothing open then.
   */
  private static void gather(Connection c, long src) throws SQLException {
    update(c, "DROP TABLE IF EXISTS copy_ids");
    update(c, "CREATE LOCAL TEMPORARY TABLE copy_ids (id BIGINT NOT NULL PRIMARY KEY, "
        + "depth INTEGER NOT NULL)");
    update(c, "CREATE INDEX copy_ids_depth ON copy_ids (depth)");
    update(c, "INSERT INTO copy_ids (id, depth) VALUES (?, 0)", src);
    for (int depth = 0; ; depth++) {
      int added = update(c, "INSERT INTO copy_ids (id, depth) SELECT n.id, ? "
          + "FROM node n JOIN copy_ids w ON n.parent_id = w.id WHERE w.depth = ?",
          depth + 1, depth);
      c.commit();
      if (added == 0) {
        return;
      }
    }
  }

  private static void commitIf(Connection c, boolean commit) throws SQLException {
    if (commit) {
      c.commit();
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JdbcTx.bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
