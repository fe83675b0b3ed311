package dev.depthdav.store;

import dev.depthdav.lock.LockStore;
import dev.depthdav.lock.LockStoreContract;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.Postgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The lock contract on PostgreSQL's lock table, through {@code Tx.locks()}. */
class PostgresLocksTest extends LockStoreContract {
  @TempDir Path dir;
  private JdbcStore jdbc;
  private LockStore store;

  @BeforeEach
  void open() throws Exception {
    jdbc = JdbcStore.openPostgres(Postgres.freshDatabase(), Postgres.shared().user(), "",
        dir.resolve("blobs"), StoreSettings.DEFAULTS, false);
    store = new TxLocks(jdbc);
  }

  @AfterEach
  void close() {
    jdbc.close();
  }

  @Override
  protected LockStore store() {
    return store;
  }
}
