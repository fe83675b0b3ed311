package dev.depthdav.store.jdbc;

import dev.depthdav.lock.Lock;
import dev.depthdav.lock.LockConflictException;
import dev.depthdav.lock.LockStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The lock table of one H2 transaction ({@link JdbcTx#locks()}), so locks survive restarts: every
 * method runs on the transaction's connection, so a lock check and the change it guards commit
 * together, and lock creation in a write is serialized with every other write.
 */
final class JdbcLockStore implements LockStore {
  private static final String COLUMNS = "token, root_path, is_exclusive, is_infinite, owner_xml, "
      + "principal, created_ms, expires_ms";
  private final JdbcTx tx;

  JdbcLockStore(JdbcTx tx) {
    this.tx = tx;
  }

  @Override
  public List<Lock> covering(String path, Instant now) {
    return coveringAny(path, path, now);
  }

  @Override
  public List<Lock> coveringWithParent(String path, Instant now) {
    return coveringAny(path, Lock.parentOf(path), now);
  }

  /**
   * Locks covering {@code path} or {@code alsoRoot}, one of its ancestors or itself: those
   * rooted at either, and the infinite ones rooted at any ancestor.
   */
  private List<Lock> coveringAny(String path, String alsoRoot, Instant now) {
    List<String> roots = Lock.selfAndAncestors(path);
    String in = String.join(", ", Collections.nCopies(roots.size(), "?"));
    List<Object> args = new ArrayList<>(roots);
    args.add(path);
    args.add(alsoRoot);
    args.add(now.toEpochMilli());
    return query("root_path IN (" + in + ") AND (is_infinite = TRUE OR root_path = ? "
        + "OR root_path = ?) AND expires_ms > ?", args.toArray());
  }

  @Override
  public List<Lock> within(String path, Instant now) {
    if (path.equals("/")) {
      return query("expires_ms > ?", now.toEpochMilli());
    }
    return query("(root_path = ? OR root_path LIKE ? ESCAPE '\\') AND expires_ms > ?", path,
        likePrefix(path), now.toEpochMilli());
  }

  /** A LIKE pattern for the paths strictly below {@code path}. */
  private static String likePrefix(String path) {
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%";
  }

  @Override
  public Optional<Lock> get(String token, Instant now) {
    return query("token = ? AND expires_ms > ?", token, now.toEpochMilli()).stream().findFirst();
  }

  @Override
  public Lock create(Lock lock, Instant now) {
    List<Lock> near = new ArrayList<>(covering(lock.root(), now));
    if (lock.infinite()) {
      near.addAll(within(lock.root(), now));
    }
    Lock c = LockStore.conflict(lock, near);
    if (c != null) {
      throw new LockConflictException(c);
    }
    tx.update("INSERT INTO lock_entry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        lock.token(), lock.root(), lock.exclusive(), lock.infinite(), lock.ownerXml(),
        lock.principal(), lock.created().toEpochMilli(), lock.expires().toEpochMilli());
    return lock;
  }

  @Override
  public Optional<Lock> refresh(String token, Instant expires, Instant now) {
    int n = tx.update("UPDATE lock_entry SET expires_ms = ? WHERE token = ? "
        + "AND expires_ms > ?", expires.toEpochMilli(), token, now.toEpochMilli());
    return n == 0 ? Optional.<Lock>empty() : get(token, now);
  }

  @Override
  public boolean remove(String token) {
    return tx.update("DELETE FROM lock_entry WHERE token = ?", token) > 0;
  }

  @Override
  public int removeWithin(String path) {
    if (path.equals("/")) {
      return tx.update("DELETE FROM lock_entry");
    }
    return tx.update("DELETE FROM lock_entry WHERE root_path = ? OR root_path LIKE ? "
        + "ESCAPE '\\'", path, likePrefix(path));
  }

  @Override
  public int sweep(Instant now) {
    return tx.update("DELETE FROM lock_entry WHERE expires_ms <= ?", now.toEpochMilli());
  }

  @Override
  public List<Lock> all(Instant now) {
    return query("expires_ms > ?", now.toEpochMilli());
  }

  private List<Lock> query(String where, Object... args) {
    return JdbcTx.sql(() -> {
      List<Lock> out = new ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement(
          "SELECT " + COLUMNS + " FROM lock_entry WHERE " + where + " ORDER BY root_path, token")) {
        JdbcTx.bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
      }
      return out;
    });
  }

  private static Lock row(ResultSet rs) throws SQLException {
    return new Lock(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
        rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
        Instant.ofEpochMilli(rs.getLong(8)));
  }
}
