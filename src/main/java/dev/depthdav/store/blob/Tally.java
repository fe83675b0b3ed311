package dev.depthdav.store.blob;

import dev.depthdav.store.BlobStore;
import java.io.IOException;
import java.util.List;

/**
 * The bytes of all blobs of a store, counted by one listing on first use, then kept up to date
 * by the store's writes and deletions (a listing of a large folder or bucket is slow).
 */
public final class Tally {
  /** The store's deletion monitor: counting never runs between a deletion and its tally. */
  private final Object lock;
  private long bytes = -1;

  public Tally(Object lock) {
    this.lock = lock;
  }

  /** A store's listing of its blobs. */
  @FunctionalInterface
  public interface Listing {
    List<BlobStore.Stored> list() throws IOException;
  }

  /** The bytes counted so far, listing the blobs on the first call; 0 when that fails. */
  public long bytes(Listing listing) {
    synchronized (lock) {
      if (bytes < 0) {
        try {
          bytes = listing.list().stream().mapToLong(BlobStore.Stored::size).sum();
        } catch (IOException | RuntimeException e) {
          return 0;
        }
      }
      return bytes;
    }
  }

  /** Counts a blob added (positive) or deleted (negative), once counting has begun. */
  public void add(long delta) {
    synchronized (lock) {
      if (bytes >= 0) {
        bytes += delta;
      }
    }
  }
}
