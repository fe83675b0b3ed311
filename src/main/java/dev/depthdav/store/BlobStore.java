package dev.depthdav.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Content-addressed storage of file bodies, named by the SHA-256 of their bytes: files in a
 * folder ({@code FileBlobStore}) or objects in an S3 bucket ({@code S3BlobStore}).
 *
 * <p>Ordering rule (metadata commits first, content goes last): a blob is durable in the store
 * before any row naming it commits, and is deleted only when no committed row names it and no
 * writer has it pinned.
 *
 * <p>Failures: a blob that is not there is a {@link java.nio.file.NoSuchFileException}; storage
 * that refuses a write throws {@link StoreException.InsufficientStorage}; storage that cannot be
 * reached now throws {@link StoreException.Unavailable}.
 */
public interface BlobStore {
  /** What {@link #available} answers when the storage has no notion of free space. */
  long UNKNOWN = -1;

  /**
   * Streams {@code in} into the store while hashing and makes it durable there. The returned
   * handle pins the blob against deletion until it is closed: close it after the transaction
   * that references it has committed or rolled back.
   *
   * @param maxBytes refuse bodies longer than this (throws {@link TooLarge}); -1 for no limit
   */
  Pending write(InputStream in, long maxBytes) throws IOException;

  /**
   * The bytes {@code offset} to {@code offset + length - 1} of a blob, streamed.
   *
   * @throws java.nio.file.NoSuchFileException when the blob is not stored
   */
  InputStream open(String hash, long offset, long length) throws IOException;

  /**
   * The file holding a blob's bytes, where the store keeps blobs in local files: readers may
   * then use it directly (positional reads, no copy through this interface). Empty otherwise.
   */
  default Optional<Path> localPath(String hash) {
    return Optional.empty();
  }

  /**
   * Deletes the blob if it is not pinned and {@code referenced} says no row names it (and, where
   * other processes share the store, it was not written within the orphan grace period).
   */
  boolean deleteIfUnreferenced(String hash, Predicate<String> referenced);

  /** Every stored blob, for consistency checks and the sweep. */
  List<Stored> list() throws IOException;

  /**
   * Deletes the blobs last written before {@code cutoff} that no row names and no writer has
   * pinned: content of writes that a crash cut short, or that were replaced or refused while an
   * older server ran. Returns how many went.
   */
  int sweep(Instant cutoff) throws IOException;

  /** The bytes of all stored blobs. */
  long bytes();

  /** Bytes that writes may still use, or {@link #UNKNOWN} where the storage cannot tell. */
  long available();

  /**
   * How a metadata store opens its blob store: where the blobs are, with what the metadata store
   * decides (whether a row names a blob, the settings, and whether other processes share the
   * blobs, so that a blob is deleted only once unwritten for the orphan grace period).
   */
  @FunctionalInterface
  interface Opener {
    BlobStore open(Predicate<String> referenced, StoreSettings settings, boolean shared)
        throws IOException;
  }

  /** Releases what the store holds open (connections, its spool folder). */
  default void close() {}

  /** A stored blob: its name, length and when it was last written (or touched). */
  record Stored(String hash, long size, Instant modified) {}

  /** A written blob, pinned until closed. */
  interface Pending extends AutoCloseable {
    Blob blob();

    /**
     * Says that a committed row names the blob now, so closing needs no look at the rows (the
     * common case, kept off the hot path); without it, closing deletes a blob no row names.
     */
    void stored();

    @Override
    void close();
  }

  /** The body was longer than allowed; nothing was kept. */
  final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    public TooLarge(String message) {
      super(message);
    }
  }
}
