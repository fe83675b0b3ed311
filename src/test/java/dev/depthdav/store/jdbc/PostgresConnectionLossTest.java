package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depthdav.store.DavPath;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.Tx;
import dev.depthdav.testing.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database connection dies in the middle of a transaction (the primary crashed, or was
 * failed over: PostgreSQL ends the session with SQLSTATE 57P01). The store must say "unavailable"
 * (503 with Retry-After), not fail with whatever the rollback of the dead connection threw
 * (which became a 500), and must serve again on fresh connections.
 */
class PostgresConnectionLossTest {
  @TempDir Path dir;
  String url;
  String user;
  JdbcStore store;

  @BeforeEach
  void open() throws Exception {
    url = Postgres.freshDatabase();
    user = Postgres.shared().user();
    store = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS,
        false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Ends the transaction's own session from another connection, as a crash would. */
  void killOwnSession(Tx tx) {
    JdbcTx.sql(() -> {
      int pid;
      try (PreparedStatement ps = ((JdbcTx) tx).connection().prepareStatement(
          "SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        pid = rs.getInt(1);
      }
      try (Connection other = DriverManager.getConnection(url, user, "");
          PreparedStatement ps = other.prepareStatement("SELECT pg_terminate_backend(?)")) {
        ps.setInt(1, pid);
        ps.execute();
      }
      return null;
    });
  }

  @Test
  void sessionEndsDuringRead_unavailable() {
    assertThrows(StoreException.Unavailable.class, () -> store.read(tx -> {
      killOwnSession(tx);
      return tx.resolve(DavPath.parse("/"));
    }));
    assertEquals(true, store.read(tx -> tx.resolve(DavPath.parse("/")).isPresent()));
  }

  @Test
  void sessionEndsDuringWrite_unavailable_nothingStored() {
    assertThrows(StoreException.Unavailable.class, () -> store.write(tx -> {
      tx.createCollection(tx.root().id(), "lost", Instant.EPOCH);
      killOwnSession(tx);
      return tx.createCollection(tx.root().id(), "lost-too", Instant.EPOCH);
    }));
    store.write(tx -> tx.createCollection(tx.root().id(), "kept", Instant.EPOCH));
    assertEquals(true, store.read(tx -> tx.resolve(DavPath.parse("/kept")).isPresent()));
    assertEquals(false, store.read(tx -> tx.resolve(DavPath.parse("/lost")).isPresent()));
  }
}
