package dev.depthdav.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a file looked like when it was read: modification time, size and a digest of its bytes.
 * The digest is there because a renewed certificate is often exactly as long as the old one,
 * and some file systems keep modification times to the second or coarser; the files are a few
 * kilobytes, so reading them on each check costs nothing that matters.
 *
 * @param modified last modification time (following links, as ACME clients' live/ names are)
 * @param size length in bytes; -1 when the file could not be read
 * @param sha256 hex SHA-256 of the bytes; empty when the file could not be read
 */
record FileStamp(FileTime modified, long size, String sha256) {
  private static final FileStamp UNREADABLE = new FileStamp(FileTime.fromMillis(0), -1, "");

  /** The stamp of {@code file} now; every unreadable file gets one stamp, unlike any readable. */
  static FileStamp of(Path file) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      byte[] bytes = Files.readAllBytes(file);
      return new FileStamp(modified, bytes.length,
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    } catch (IOException e) {
      return UNREADABLE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
