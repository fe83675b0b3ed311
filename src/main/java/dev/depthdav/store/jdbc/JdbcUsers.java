package dev.depthdav.store.jdbc;

import dev.depthdav.auth.DigestHa1;
import dev.depthdav.auth.User;
import dev.depthdav.auth.Users;
import dev.depthdav.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts in the H2 database, written through the store's transactions (durable before the
 * command that changed them returns).
 */
public final class JdbcUsers implements Users {
  private static final String COLUMNS =
      "name, password_hash, root_path, read_only, quota_bytes, is_admin, ha1_sha256, ha1_md5";
  private final JdbcStore store;
  private final AtomicLong generation = new AtomicLong();

  public JdbcUsers(JdbcStore store) {
    this.store = store;
  }

  @Override
  public Optional<User> find(String name) {
    return query("WHERE name = ?", name).stream().findFirst();
  }

  @Override
  public List<User> list() {
    return query("ORDER BY name");
  }

  @Override
  public void add(User u) {
    try {
      store.write(tx -> ((JdbcTx) tx).update("INSERT INTO dav_user (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", u.name(), u.passwordHash(), u.root(), u.readOnly(),
          u.quota(), u.admin(), sha256(u), md5(u)));
    } catch (StoreException.AlreadyExists e) {
      throw new IllegalStateException("user " + u.name() + " already exists", e);
    } finally {
      generation.incrementAndGet();
    }
  }

  @Override
  public void update(User u) {
    int n;
    try {
      n = store.write(tx -> ((JdbcTx) tx).update("UPDATE dav_user SET password_hash = ?, "
          + "root_path = ?, read_only = ?, quota_bytes = ?, is_admin = ?, ha1_sha256 = ?, "
          + "ha1_md5 = ? WHERE name = ?", u.passwordHash(), u.root(), u.readOnly(), u.quota(),
          u.admin(), sha256(u), md5(u), u.name()));
    } finally {
      generation.incrementAndGet();
    }
    if (n == 0) {
      throw new IllegalStateException("no user " + u.name());
    }
  }

  @Override
  public boolean remove(String name) {
    try {
      return store.writeToFree(tx -> ((JdbcTx) tx).update("DELETE FROM dav_user WHERE name = ?",
          name)) > 0;
    } finally {
      generation.incrementAndGet();
    }
  }

  @Override
  public long generation() {
    return generation.get();
  }

  private static String sha256(User u) {
    return u.digest() == null ? null : u.digest().sha256();
  }

  private static String md5(User u) {
    return u.digest() == null ? null : u.digest().md5();
  }

  /** The Digest secrets of a row; null unless both columns are set. */
  private static DigestHa1 digest(String sha256, String md5) {
    return sha256 == null || md5 == null ? null : new DigestHa1(sha256, md5);
  }

  private List<User> query(String rest, Object... args) {
    return store.read(tx -> JdbcTx.sql(() -> {
      List<User> out = new ArrayList<>();
      try (PreparedStatement ps = ((JdbcTx) tx).connection().prepareStatement(
          "SELECT " + COLUMNS + " FROM dav_user " + rest)) {
        JdbcTx.bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                rs.getLong(5), rs.getBoolean(6), digest(rs.getString(7), rs.getString(8))));
          }
        }
      }
      return out;
    }));
  }
}
