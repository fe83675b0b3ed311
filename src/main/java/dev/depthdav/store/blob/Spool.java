package dev.depthdav.store.blob;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DiskRoom;
import dev.depthdav.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A body streamed to a temporary file while it is hashed: the first half of every blob write.
 * The file system's free space is checked as it grows, so that a full disk refuses the write
 * (507) before it is reached.
 *
 * @param file the temporary file (the caller moves or deletes it)
 * @param hash the SHA-256 of the bytes, in lowercase hex
 * @param length the number of bytes
 */
public record Spool(Path file, String hash, long length) {
  private static final HexFormat HEX = HexFormat.of();
  /** The free space is checked each time a body crosses a multiple of 2^20 bytes. */
  private static final int CHECK_SHIFT = 20;

  /**
   * Writes {@code in} to a new file in {@code dir}, forced to disk when {@code fsync}; on any
   * failure the file is deleted. A failure to read {@code in} is the client's and passes as it
   * is; a failure to write is the storage's ({@link StoreException.InsufficientStorage}).
   *
   * @param maxBytes refuse bodies longer than this ({@link BlobStore.TooLarge}); -1 for none
   */
  public static Spool write(InputStream in, long maxBytes, Path dir, DiskRoom room,
      boolean fsync) throws IOException {
    room.require(0);
    Path temp = storing(() -> Files.createTempFile(dir, "put-", ".part"));
    boolean kept = false;
    try {
      MessageDigest sha = sha256();
      long length = 0;
      try (FileChannel ch = storing(() -> FileChannel.open(temp, StandardOpenOption.WRITE))) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) { // a failure to read is the client's
          if ((length >> CHECK_SHIFT) != ((length + n) >> CHECK_SHIFT)) {
            room.require(n); // once a MiB: stop before the disk is full, not at it
          }
          length += n;
          if (maxBytes >= 0 && length > maxBytes) {
            throw new BlobStore.TooLarge("body exceeds " + maxBytes + " bytes");
          }
          sha.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          storing(() -> {
            while (bb.hasRemaining()) {
              ch.write(bb);
            }
            return null;
          });
        }
        if (fsync) {
          storing(() -> {
            ch.force(true);
            return null;
          });
        }
      }
      kept = true;
      return new Spool(temp, HEX.formatHex(sha.digest()), length);
    } finally {
      if (!kept) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Clears the spool folders under {@code root} but {@code own} that other processes left when
   * they stopped or crashed: their files older than {@code cutoff}, then each folder itself once
   * it is empty and old.
   */
  public static void clearOthers(Path root, Path own, Instant cutoff) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        if (d.equals(own) || !Files.isDirectory(d)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
          for (Path f : files) {
            if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
              Files.deleteIfExists(f);
            }
          }
        }
        if (Files.getLastModifiedTime(d).toInstant().isBefore(cutoff)) {
          try {
            Files.delete(d);
          } catch (IOException e) {
            // not empty yet, or its process is back: the next look tries again
          }
        }
      }
    }
  }

  /** Deletes the temporary file, if it is still there. */
  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  /** An action on the local disk; its failures are the storage's, never the client's. */
  @FunctionalInterface
  public interface Storing<T> {
    T run() throws IOException;
  }

  /** Runs {@code action}, its failure an {@link StoreException.InsufficientStorage}. */
  public static <T> T storing(Storing<T> action) {
    try {
      return action.run();
    } catch (IOException e) {
      throw new StoreException.InsufficientStorage("cannot store the content: " + e, e);
    }
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
