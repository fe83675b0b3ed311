package dev.depthdav.store.h2;

import java.sql.SQLException;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * A set-based copy of a subtree: its ids are gathered level by level into {@code copy_work}
 * (one INSERT ... SELECT per level), then rows and properties are copied by ranges of ids, one
 * statement each per range, so that a long copy reports its progress as it goes. New ids are the
 * old ones shifted by a constant offset past every id in use, so parent links are rewritten by
 * the same arithmetic, without a per-row round trip.
 */
final class TreeCopy {
  /** Ids per range: large enough that the statements stay few, small enough to show progress. */
  static final long CHUNK = 65_536;

  private final H2Tx tx;
  private final Ids ids;
  private final long chunk;

  TreeCopy(H2Tx tx, Ids ids, long chunk) {
    this.tx = tx;
    this.ids = ids;
    this.chunk = chunk;
  }

  /**
   * Copies {@code src} (with its members when {@code deep}), telling {@code copied} the number
   * of rows copied after each range; returns the copy's id.
   */
  long copy(long src, long newParent, String newName, boolean deep, Instant now,
      LongConsumer copied) {
    return H2Tx.sql(() -> run(src, newParent, newName, deep, now, copied));
  }

  private long run(long src, long newParent, String newName, boolean deep, Instant now,
      LongConsumer copied) throws SQLException {
    long op = ids.next(tx.connection()); // a unique tag for this copy's scratch rows
    tx.update("INSERT INTO copy_work (op, id, depth) VALUES (?, ?, 0)", op, src);
    for (int depth = 0; deep; depth++) {
      int added = tx.update("INSERT INTO copy_work (op, id, depth) SELECT ?, n.id, ? "
          + "FROM node n JOIN copy_work w ON n.parent_id = w.id WHERE w.op = ? AND w.depth = ?",
          op, depth + 1, op, depth);
      if (added == 0) {
        break;
      }
    }
    long minId = scalar("SELECT MIN(id) FROM copy_work WHERE op = ?", op);
    long maxId = scalar("SELECT MAX(id) FROM copy_work WHERE op = ?", op);
    long first = ids.reserve(tx.connection(), maxId - minId + 1);
    long offset = first - minId;
    long ms = now.toEpochMilli();
    String etagPrefix = H2Tx.newEtag().substring(0, 16) + "-";
    for (long lo = minId; lo <= maxId; lo += chunk) {
      long hi = Math.min(maxId, lo + chunk - 1);
      int rows = tx.update("INSERT INTO node (id, parent_id, name, is_collection, size_bytes, "
          + "blob_hash, content_type, etag, created_ms, modified_ms) "
          + "SELECT n.id + ?, CASE WHEN n.id = ? THEN ? ELSE n.parent_id + ? END, "
          + "CASE WHEN n.id = ? THEN ? ELSE n.name END, n.is_collection, n.size_bytes, "
          + "n.blob_hash, n.content_type, ? || CAST(n.id + ? AS VARCHAR(20)), ?, ? "
          + "FROM node n JOIN copy_work w ON n.id = w.id "
          + "WHERE w.op = ? AND w.id BETWEEN ? AND ?",
          offset, src, newParent, offset, src, newName, etagPrefix, offset, ms, ms, op, lo, hi);
      tx.update("INSERT INTO prop (node_id, ns, local_name, xml) "
          + "SELECT p.node_id + ?, p.ns, p.local_name, p.xml "
          + "FROM prop p JOIN copy_work w ON p.node_id = w.id "
          + "WHERE w.op = ? AND w.id BETWEEN ? AND ?", offset, op, lo, hi);
      if (rows > 0) {
        copied.accept(rows);
      }
    }
    tx.update("DELETE FROM copy_work WHERE op = ?", op);
    return src + offset;
  }

  private long scalar(String sql, long arg) throws SQLException {
    try (var ps = tx.connection().prepareStatement(sql)) {
      ps.setLong(1, arg);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
