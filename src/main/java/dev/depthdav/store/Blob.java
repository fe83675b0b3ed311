package dev.depthdav.store;

/**
 * Content: its SHA-256 (lowercase hex) and its length in bytes, with, for small content to be kept
 * in the metadata store's row instead of the blob store ({@link Store#inlineMax}), the bytes.
 *
 * @param inline the content's bytes when they go into the row that numbers the content; null
 *     when they are in the blob store
 */
public record Blob(String hash, long length, byte[] inline) {
  /** Content in the blob store. */
  public Blob(String hash, long length) {
    this(hash, length, null);
  }
}
