package dev.depthdav.store.blob;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Blobs as files named by the SHA-256 of their bytes: {@code <root>/ab/cd/abcd...}. Writes go
 * to {@code <root>/tmp/} first, are forced to disk and then moved into place, so a blob file is
 * either whole or absent. Without {@code fsync} the forcing is left to the operating system: a
 * crash of the process loses nothing, a power failure may lose the newest blobs.
 */
public final class FileBlobStore implements BlobStore {
  private static final HexFormat HEX = HexFormat.of();
  private final Path root;
  private final Path tmp;
  private final boolean fsync;
  /** Pin counts of blobs written but not yet committed (or rolled back) by their writers. */
  private final Map<String, Integer> pins = new HashMap<>();

  public FileBlobStore(Path root) throws IOException {
    this(root, true);
  }

  public FileBlobStore(Path root, boolean fsync) throws IOException {
    this.root = root;
    this.fsync = fsync;
    this.tmp = root.resolve("tmp");
    Files.createDirectories(tmp);
    clearTemporaryFiles();
  }

  /** Removes temporary files left by writes that a crash interrupted. */
  private void clearTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
  }

  @Override
  public Pending write(InputStream in, long maxBytes) throws IOException {
    Path temp = Files.createTempFile(tmp, "put-", ".part");
    try {
      MessageDigest sha = sha256();
      long length = 0;
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
          length += n;
          if (maxBytes >= 0 && length > maxBytes) {
            throw new TooLarge("body exceeds " + maxBytes + " bytes");
          }
          sha.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            ch.write(bb);
          }
        }
        if (fsync) {
          ch.force(true);
        }
      }
      String hash = HEX.formatHex(sha.digest());
      pin(hash);
      try {
        place(temp, path(hash));
      } catch (IOException | RuntimeException e) {
        unpin(hash);
        throw e;
      }
      Blob blob = new Blob(hash, length);
      return new Pending() {
        private boolean closed;

        @Override
        public Blob blob() {
          return blob;
        }

        @Override
        public void close() {
          if (!closed) {
            closed = true;
            unpin(hash);
          }
        }
      };
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Moves a finished temporary file to its final name; identical content may already be there. */
  private void place(Path temp, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      return;
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      return;
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target);
    }
    if (fsync) {
      syncDirectory(target.getParent());
    }
  }

  /** Makes the new directory entry durable; some file systems refuse, which we tolerate. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not supported here: the rename is still atomic, only its durability is the OS's
    }
  }

  @Override
  public Path path(String hash) {
    return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
  }

  @Override
  public boolean deleteIfUnreferenced(String hash, Predicate<String> referenced) {
    synchronized (pins) {
      if (pins.containsKey(hash) || referenced.test(hash)) {
        return false;
      }
      try {
        return Files.deleteIfExists(path(hash));
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** Every blob hash on disk, for consistency checks. */
  public List<String> list() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 3)) {
      files.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(tmp))
          .forEach(p -> out.add(p.getFileName().toString()));
    }
    return out;
  }

  private void pin(String hash) {
    synchronized (pins) {
      pins.merge(hash, 1, Integer::sum);
    }
  }

  private void unpin(String hash) {
    synchronized (pins) {
      pins.computeIfPresent(hash, (h, n) -> n == 1 ? null : n - 1);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
