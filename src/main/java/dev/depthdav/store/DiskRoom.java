package dev.depthdav.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the file system that holds a folder, less a reserve kept for the database:
 * writes are refused (507, RFC 4918 §11.5) before the disk is full rather than failing half way,
 * so the database always has room to record what it has acknowledged.
 */
public final class DiskRoom {
  private final FileStore fs;
  private final long reserve;

  public DiskRoom(Path folder, long reserve) {
    try {
      this.fs = Files.getFileStore(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + folder, e);
    }
    this.reserve = reserve;
  }

  /** Bytes that writes may still use: free space less the reserve, never below zero. */
  public long available() {
    try {
      return Math.max(0, fs.getUsableSpace() - reserve);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Refuses a write of {@code bytes} more that would eat into the reserve.
   *
   * @throws StoreException.InsufficientStorage with the figures
   */
  public void require(long bytes) {
    long left = available();
    if (bytes >= left) {
      throw new StoreException.InsufficientStorage("the data folder's file system has "
          + left + " bytes left for writes (after " + reserve + " kept free), "
          + (bytes > 0 ? bytes + " needed" : "none to spare"), null);
    }
  }
}
