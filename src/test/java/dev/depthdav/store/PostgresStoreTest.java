package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.Postgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL (a throwaway cluster; one database per test), plus a restart:
 * the same SQL and the same guarantees as on H2.
 */
class PostgresStoreTest extends StoreContract {
  /** The database of each test's folder: a reopen in the test finds the same one. */
  private static final Map<Path, String> DATABASES = new HashMap<>();

  @Override
  Store open(Path dir) throws IOException {
    try {
      if (!DATABASES.containsKey(dir)) {
        DATABASES.put(dir, Postgres.freshDatabase());
      }
      return JdbcStore.openPostgres(DATABASES.get(dir), Postgres.shared().user(), "",
          dir.resolve("blobs"), StoreSettings.DEFAULTS, true);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  @Test
  void reopen_keepsTheTree_andIdsContinue() throws IOException {
    Node a = mkdir("/a");
    put("/a/f", blob("kept"));
    store.close();
    store = open(dir);
    assertTrue(exists("/a/f"));
    Node b = mkdir("/b");
    assertTrue(b.id() > a.id());
    assertEquals(2, names("/").size());
  }
}
