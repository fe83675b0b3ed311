package dev.depthdav.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content-addressed storage of file bodies, named by the SHA-256 of their bytes.
 *
 * <p>Ordering rule (metadata commits first, content goes last): a blob is durable on disk before
 * any row naming it commits, and is deleted only when no committed row names it and no writer has
 * it pinned.
 */
public interface BlobStore {

  /**
   * Streams {@code in} to a temporary file while hashing, forces it to disk and moves it into
   * place. The returned handle pins the blob against deletion until it is closed: close it after
   * the transaction that references it has committed or rolled back.
   *
   * @param maxBytes refuse bodies longer than this (throws {@link TooLarge}); -1 for no limit
   */
  Pending write(InputStream in, long maxBytes) throws IOException;

  /** The file holding a blob's bytes, for reading (ranges included). */
  Path path(String hash);

  /** Deletes the blob's file if it is not pinned and {@code referenced} says no row names it. */
  boolean deleteIfUnreferenced(String hash, java.util.function.Predicate<String> referenced);

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
