package dev.depthdav.store.blob;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.Dirs;
import dev.depthdav.store.DiskRoom;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Blobs as files named by the SHA-256 of their bytes: {@code <root>/ab/cd/abcd...}. Writes go
 * to {@code <root>/tmp/} first, are forced to disk and then moved into place, so a blob file is
 * either whole or absent. Without {@code fsync} the forcing is left to the operating system: a
 * crash of the process loses nothing, a power failure may lose the newest blobs.
 */
public final class FileBlobStore implements BlobStore {
  private final Path root;
  private final Path tmp;
  private final boolean fsync;
  /** Blobs written but not yet committed by their writers; its monitor guards deletion. */
  private final Pins pins;
  /** Whether a committed row names a blob: a blob whose last pin goes and that no row names goes. */
  private final Predicate<String> referenced;

  /** The bytes of all blobs. */
  private final Tally tally;

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
  /** The clock that ages blobs for the grace period (and touches them). */
  private final InstantSource clock;
  /** Forces a folder's entries to disk ({@link Dirs#force}; observed in tests). */
  private Consumer<Path> forceDir = Dirs::force;

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
    this(root, fsync, referenced, minFree, sharedGrace, InstantSource.system());
  }

  /** As above, with blobs aged by {@code clock} (tests). */
  public FileBlobStore(Path root, boolean fsync, Predicate<String> referenced, long minFree,
      Duration sharedGrace, InstantSource clock) throws IOException {
    this.root = root;
    this.clock = clock;
    this.pins = new Pins(hash -> deleteIfUnreferenced(hash, referenced));
    this.tally = new Tally(pins);
    this.fsync = fsync;
    this.referenced = referenced;
    this.sharedGrace = sharedGrace;
    this.tmp = sharedGrace == null ? root.resolve("tmp")
        : root.resolve("tmp").resolve(java.util.UUID.randomUUID().toString());
    Dirs.create(tmp, fsync ? Dirs::force : dir -> { });
    this.room = new DiskRoom(root, minFree);
    clearTemporaryFiles();
  }

  /** Opens the blobs in the folder {@code root}, for a metadata store. */
  public static Opener in(Path root) {
    return (referenced, settings, shared) -> new FileBlobStore(root, settings.fsync(), referenced,
        settings.minFreeBytes(), shared ? settings.orphanGrace() : null);
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
  @Override
  public long bytes() {
    return tally.bytes(this::list);
  }


  /** Space left for blobs, for the quota properties of RFC 4331. */
  @Override
  public long available() {
    return room.available();
  }

  @Override
  public Pending write(InputStream in, long maxBytes) throws IOException {
    Spool spool = Spool.write(in, maxBytes, tmp, room, fsync);
    try {
      String hash = spool.hash();
      pins.pin(hash);
      try {
        storing(() -> {
          place(spool.file(), path(hash));
          return null;
        });
      } catch (RuntimeException e) {
        pins.release(hash, false);
        throw e;
      }
      return pins.pending(new Blob(hash, spool.length()), Pins.After.NOTHING);
    } finally {
      spool.delete();
    }
  }

  private static <T> T storing(Spool.Storing<T> action) {
    return Spool.storing(action);
  }

  /** Moves a finished temporary file to its final name; identical content may already be there. */
  private void place(Path temp, Path target) throws IOException {
    Dirs.create(target.getParent(), fsync ? forceDir : dir -> { });
    if (Files.exists(target)) {
      try {
        // written again: another server sharing the folder must not collect it as old
        Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
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
    tally.add(size);
    if (fsync) {
      forceDir.accept(target.getParent());
    }
  }

  /** Tests: {@code observer} sees each folder forced from now on, before it is forced. */
  void observeForcedFolders(Consumer<Path> observer) {
    forceDir = dir -> {
      observer.accept(dir);
      Dirs.force(dir);
    };
  }

  /** The file of a blob: {@code <root>/ab/cd/abcd...}. */
  public Path path(String hash) {
    return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
  }

  @Override
  public Optional<Path> localPath(String hash) {
    return Optional.of(path(hash));
  }

  @Override
  public InputStream open(String hash, long offset, long length) throws IOException {
    return BoundedInputStream.slice(path(hash), offset, length);
  }

  @Override
  public boolean deleteIfUnreferenced(String hash, Predicate<String> referenced) {
    synchronized (pins) {
      if (pins.deferIfPinned(hash)) {
        return false; // a writer holds it: its last release decides
      }
      if (!Files.exists(path(hash))) {
        // Not here (content kept in its row, Store.inlineMax, or deleted already): no need to
        // ask the rows, which takes the writer lock.
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
        tally.add(-size);
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
    Instant young = clock.instant().minus(sharedGrace);
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
    tally.add(-size);
    return true;
  }

  @Override
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

  @Override
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
    Spool.clearOthers(root.resolve("tmp"), tmp, cutoff);
  }
}
