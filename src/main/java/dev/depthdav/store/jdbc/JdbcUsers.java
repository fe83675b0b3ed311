package dev.depthdav.store.jdbc;

import dev.depthdav.auth.DigestHa1;
import dev.depthdav.auth.User;
import dev.depthdav.auth.Users;
import dev.depthdav.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accounts in the database, written through the store's transactions (durable before the
 * command that changed them returns). Each change raises the shared {@code user_generation}
 * counter in its transaction; {@link #generation} reads it again once {@code recheck} has passed,
 * so caches keyed by it follow changes made by other servers on the same database.
 */
public final class JdbcUsers implements Users {
  private static final String COLUMNS =
      "name, password_hash, root_path, read_only, quota_bytes, is_admin, ha1_sha256, ha1_md5";
  /** How long a read of the shared counter is trusted by default. */
  public static final Duration RECHECK = Duration.ofSeconds(1);
  private static final String RAISE =
      "UPDATE user_generation SET generation = generation + 1";
  private final JdbcStore store;
  private final Duration recheck;
  private final InstantSource clock;
  /** The shared counter as last read, and when (null: read it at the next call). */
  private volatile long generation;
  private volatile Instant generationRead;

  public JdbcUsers(JdbcStore store) {
    this(store, RECHECK, InstantSource.system());
  }

  /** Accounts whose changes by other servers count here within {@code recheck}. */
  public JdbcUsers(JdbcStore store, Duration recheck, InstantSource clock) {
    this.store = store;
    this.recheck = recheck;
    this.clock = clock;
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
      store.write(tx -> change(tx, "INSERT INTO dav_user (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", u.name(), u.passwordHash(), u.root(), u.readOnly(),
          u.quota(), u.admin(), sha256(u), md5(u)));
    } catch (StoreException.AlreadyExists e) {
      throw new IllegalStateException("user " + u.name() + " already exists", e);
    } finally {
      generationRead = null;
    }
  }

  @Override
  public void update(User u) {
    int n;
    try {
      n = store.write(tx -> change(tx, "UPDATE dav_user SET password_hash = ?, "
          + "root_path = ?, read_only = ?, quota_bytes = ?, is_admin = ?, ha1_sha256 = ?, "
          + "ha1_md5 = ? WHERE name = ?", u.passwordHash(), u.root(), u.readOnly(), u.quota(),
          u.admin(), sha256(u), md5(u), u.name()));
    } finally {
      generationRead = null;
    }
    if (n == 0) {
      throw new IllegalStateException("no user " + u.name());
    }
  }

  @Override
  public boolean remove(String name) {
    try {
      return store.writeToFree(tx -> change(tx, "DELETE FROM dav_user WHERE name = ?", name))
          > 0;
    } finally {
      generationRead = null;
    }
  }

  /** One change to the accounts, with the shared counter raised in the same transaction. */
  private static int change(dev.depthdav.store.Tx tx, String sql, Object... args) {
    ((JdbcTx) tx).update(RAISE);
    return ((JdbcTx) tx).update(sql, args);
  }

  @Override
  public long generation() {
    Instant now = clock.instant();
    Instant read = generationRead;
    if (read == null || !now.isBefore(read.plus(recheck))) {
      generation = store.read(tx -> JdbcTx.sql(() -> {
        try (PreparedStatement ps = ((JdbcTx) tx).connection().prepareStatement(
            "SELECT generation FROM user_generation"); ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }));
      generationRead = now;
    }
    return generation;
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
