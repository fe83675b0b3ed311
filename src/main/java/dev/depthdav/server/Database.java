package dev.depthdav.server;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.blob.FileBlobStore;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.s3.S3BlobStore;
import dev.depthdav.store.s3.S3Location;
import java.nio.file.Path;

/**
 * The database of the store, and where its blobs are.
 *
 * @param url a {@code jdbc:postgresql:} URL, or empty for H2 in the data folder
 * @param user the PostgreSQL user
 * @param password its password (from the environment, preferably)
 * @param blobs the folder of the file contents; null for {@code blobs/} in the data folder (or
 *     for an S3 bucket)
 * @param s3 the S3 bucket of the file contents; null for a folder
 */
public record Database(String url, String user, String password, Path blobs, S3Location s3) {

  /** Opens the store: its rows in this database, its blobs in the folder or the bucket. */
  JdbcStore open(Path data, StoreSettings settings, boolean purge) {
    // An S3 upload is spooled in the data folder first (S3BlobStore).
    BlobStore.Opener opener = s3 != null ? S3BlobStore.in(s3, data.resolve("s3-spool"))
        : FileBlobStore.in(blobs != null ? blobs : data.resolve("blobs"));
    if (url.isEmpty()) {
      return JdbcStore.open(data, opener, settings, purge);
    }
    return JdbcStore.openPostgres(url, user, password, opener, settings, purge);
  }

  @Override
  public String toString() {
    String db = url.isEmpty() ? "H2" : url + " as " + user; // never the password
    if (s3 != null) {
      return db + ", blobs in " + s3;
    }
    return blobs == null ? db : db + ", blobs in " + blobs;
  }
}
