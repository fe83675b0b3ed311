package dev.depthdav.store.blob;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DiskRoom;
import dev.depthdav.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  /** The free space is checked each time a body crosses a multiple of 2^20 bytes. */
  private static final int CHECK_SHIFT = 20;
  private final Path root;
  private final Path tmp;
  private final boolean fsync;
  /** Pin counts of blobs written but not yet committed (or rolled back) by their writers. */
  private final Map<String, Integer> pins = new HashMap<>();
  /** Pinned blobs a deleter found unnamed: the last pin's release looks at them again. */
  private final Set<String> deferred = new HashSet<>();
  /** Whether a committed row names a blob: a blob whose last pin goes and that no row names goes. */
  private final Predicate<String> referenced;

  /** Bytes of all blob files, counted once on first use, then kept up to date; -1 until then. */
  private long bytes = -1;

  /** Space left for blobs; checked before and while a body is written. */
  private final DiskRoom room;

  /**
   * Null when this process is the folder's only writer. When several servers share the folder
   * (one database, docs/ARCHITECTURE.md "Storage engines"), another's upload may be written and
   * not yet named by a committed row, and its pin is in that process: a blob is then deleted
   * only once it has not been written for this long (each write of existing content touches
   * it), and each process writes its temporary files in a folder of its own.
   */
  private final Duration sharedGrace;

  /** A store that never deletes a blob on its own (only {@link #deleteIfUnreferenced} does). */
  public FileBlobStore(Path root) throws IOException {
    this(root, true, hash -> true, 0);
  }

  public FileBlobStore(Path root, boolean fsync, Predicate<String> referenced)
      throws IOException {
    this(root, fsync, referenced, 0);
  }

  /** A blob store that keeps {@code minFree} bytes free on its file system. */
  public FileBlobStore(Path root, boolean fsync, Predicate<String> referenced, long minFree)
      throws IOException {
    this(root, fsync, referenced, minFree, null);
  }

  /** A blob store whose folder other processes may share ({@code sharedGrace} not null). */
  public FileBlobStore(Path root, boolean fsync, Predicate<String> referenced, long minFree,
      Duration sharedGrace) throws IOException {
    this.root = root;
    this.fsync = fsync;
    this.referenced = referenced;
    this.sharedGrace = sharedGrace;
    this.tmp = sharedGrace == null ? root.resolve("tmp")
        : root.resolve("tmp").resolve(java.util.UUID.randomUUID().toString());
    Files.createDirectories(tmp);
    this.room = new DiskRoom(root, minFree);
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

  /** The bytes of all blobs on disk (counted by one walk on first use, then kept). */
  public long bytes() {
    synchronized (pins) {
      if (bytes < 0) {
        try {
          bytes = list().stream().mapToLong(Stored::size).sum();
        } catch (IOException e) {
          return 0;
        }
      }
      return bytes;
    }
  }

  private void counted(long delta) {
    synchronized (pins) {
      if (bytes >= 0) {
        bytes += delta;
      }
    }
  }

  /** Space left for blobs, for the quota properties of RFC 4331. */
  public DiskRoom room() {
    return room;
  }

  @Override
  public Pending write(InputStream in, long maxBytes) throws IOException {
    room.require(0);
    Path temp = storing(() -> Files.createTempFile(tmp, "put-", ".part"));
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
            throw new TooLarge("body exceeds " + maxBytes + " bytes");
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
      String hash = HEX.formatHex(sha.digest());
      pin(hash);
      try {
        storing(() -> {
          place(temp, path(hash));
          return null;
        });
      } catch (RuntimeException e) {
        release(hash, false);
        throw e;
      }
      return pending(new Blob(hash, length));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The handle of a blob just placed: closing it drops the pin, and the blob if nothing names it. */
  private Pending pending(Blob blob) {
    return new Pending() {
      private boolean closed;
      private boolean stored;

      @Override
      public Blob blob() {
        return blob;
      }

      @Override
      public void stored() {
        stored = true;
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          release(blob.hash(), stored);
        }
      }
    };
  }

  /** An action on the blob folder; its failures are the storage's, never the client's. */
  @FunctionalInterface
  private interface Storing<T> {
    T run() throws IOException;
  }

  private static <T> T storing(Storing<T> action) {
    try {
      return action.run();
    } catch (IOException e) {
      throw new StoreException.InsufficientStorage("cannot store the content: " + e, e);
    }
  }

  /** Moves a finished temporary file to its final name; identical content may already be there. */
  private void place(Path temp, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      try {
        // written again: another server sharing the folder must not collect it as old
        Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
        return;
      } catch (NoSuchFileException e) {
        // deleted meanwhile: this write puts it back
      }
    }
    long size = Files.size(temp);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      return;
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target);
    }
    counted(size);
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
      if (pins.containsKey(hash)) {
        deferred.add(hash); // a writer holds it: its last release decides
        return false;
      }
      try {
        if (referenced.test(hash)) {
          return false;
        }
      } catch (RuntimeException e) {
        return false; // cannot tell (the store is closing or failing): keep it
      }
      try {
        Path file = path(hash);
        long size = Files.size(file);
        if (sharedGrace != null) {
          return deleteShared(file, size);
        }
        Files.delete(file);
        counted(-size);
        return true;
      } catch (IOException e) {
        return false; // gone already, or cannot be deleted now: the sweep will try again
      }
    }
  }

  /**
   * Deletes a blob of a shared folder unless it was written within the grace period: it is
   * renamed away first, and looked at again, so that a write of the same content by another
   * server between the look and the rename (which touches it) puts it back.
   */
  private boolean deleteShared(Path file, long size) throws IOException {
    Instant young = Instant.now().minus(sharedGrace);
    if (Files.getLastModifiedTime(file).toInstant().isAfter(young)) {
      return false; // the sweep looks again once it is old
    }
    Path away = tmp.resolve("gone-" + file.getFileName());
    Files.move(file, away, StandardCopyOption.ATOMIC_MOVE);
    if (Files.getLastModifiedTime(away).toInstant().isAfter(young)) {
      try {
        Files.move(away, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        Files.delete(away); // written again meanwhile: that copy stays
      }
      return false;
    }
    Files.delete(away);
    counted(-size);
    return true;
  }

  /** A blob file on disk. */
  public record Stored(String hash, long size, Instant modified) {}

  /** Every blob on disk, for consistency checks and the sweep. */
  public List<Stored> list() throws IOException {
    List<Stored> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 3)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.startsWith(root.resolve("tmp")) && Files.isRegularFile(p)) {
          try {
            out.add(new Stored(p.getFileName().toString(), Files.size(p),
                Files.getLastModifiedTime(p).toInstant()));
          } catch (NoSuchFileException e) {
            // deleted meanwhile
          }
        }
      }
    }
    return out;
  }

  /**
   * Deletes the blobs last written before {@code cutoff} that no row names and no writer has
   * pinned: content of writes that a crash cut short, or that were replaced or refused while
   * an older server ran. Returns how many went.
   */
  public int sweep(Instant cutoff) throws IOException {
    if (sharedGrace != null) {
      sweepOthersTemporaryFiles(cutoff);
    }
    int gone = 0;
    for (Stored b : list()) {
      if (b.modified().isBefore(cutoff) && deleteIfUnreferenced(b.hash(), referenced)) {
        gone++;
      }
    }
    return gone;
  }

  /** Temporary files that other servers sharing the folder left when they stopped or crashed. */
  private void sweepOthersTemporaryFiles(Instant cutoff) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve("tmp"))) {
      for (Path d : dirs) {
        if (d.equals(tmp) || !Files.isDirectory(d)) {
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
            // not empty yet, or its server is back: the next sweep looks again
          }
        }
      }
    }
  }

  private void pin(String hash) {
    synchronized (pins) {
      pins.merge(hash, 1, Integer::sum);
    }
  }

  /**
   * Drops a writer's pin. With the last pin gone, a blob whose write was not stored (refused or
   * rolled back), or that a deleter found unnamed while it was pinned (a later write replaced it
   * first), is deleted if no committed row names it. A stored blob nobody tried to delete needs
   * no look at the rows.
   */
  private void release(String hash, boolean stored) {
    synchronized (pins) {
      Integer left = pins.computeIfPresent(hash, (h, n) -> n == 1 ? null : n - 1);
      if (left != null || stored && !deferred.remove(hash)) {
        return;
      }
      deferred.remove(hash);
      deleteIfUnreferenced(hash, referenced);
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
