package dev.depthdav.server;

import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcStore;
import java.nio.file.Path;

/**
 * The database of the store.
 *
 * @param url a {@code jdbc:postgresql:} URL, or empty for H2 in the data folder
 * @param user the PostgreSQL user
 * @param password its password (from the environment, preferably)
 */
public record Database(String url, String user, String password) {

  /** Opens the store: its rows in this database, its blobs under {@code data/blobs}. */
  JdbcStore open(Path data, StoreSettings settings, boolean purge) {
    if (url.isEmpty()) {
      return purge ? JdbcStore.open(data, settings) : JdbcStore.openForCheck(data);
    }
    return JdbcStore.openPostgres(url, user, password, data.resolve("blobs"), settings, purge);
  }

  @Override
  public String toString() {
    return url.isEmpty() ? "H2" : url + " as " + user; // never the password
  }
}
