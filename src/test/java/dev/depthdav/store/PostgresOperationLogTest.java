package dev.depthdav.store;

import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.Postgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The operation log contract on the table of a shared PostgreSQL database. */
class PostgresOperationLogTest extends OperationLogContract {
  private JdbcStore store;

  @Override
  OperationLog open(Path dir) throws Exception {
    store = JdbcStore.openPostgres(Postgres.freshDatabase(), Postgres.shared().user(), "",
        dir.resolve("blobs"), StoreSettings.DEFAULTS, false);
    return store.operations();
  }

  @AfterEach
  void close() {
    store.close();
  }
}
