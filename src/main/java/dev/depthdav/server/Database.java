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
 * @param blobs the folder of the file contents; null for {@code blobs/} in the data folder
 */
public record Database(String url, String user, String password, Path blobs) {

  /** Opens the store: its rows in this database, its blobs in {@link #blobs}. */
  JdbcStore open(Path data, StoreSettings settings, boolean purge) {
    Path blobDir = blobs != null ? blobs : data.resolve("blobs");
    if (url.isEmpty()) {
      return JdbcStore.open(data, blobDir, settings, purge);
    }
    return JdbcStore.openPostgres(url, user, password, blobDir, settings, purge);
  }

  @Override
  public String toString() {
    String db = url.isEmpty() ? "H2" : url + " as " + user; // never the password
    return blobs == null ? db : db + ", blobs in " + blobs;
  }
}
