package dev.depthdav.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Folders whose entries survive a crash. A new name (a file moved into place, a folder made) is
 * on disk only once the folder that holds it has been forced (fsync(2) of the directory; POSIX
 * leaves a directory entry's durability to that, and the rename(2) idiom relies on it), so a
 * folder made for a blob must have its own entry forced in its parent as well.
 */
public final class Dirs {
  private Dirs() {}

  /**
   * Makes {@code dir} and its missing ancestors, forcing with {@code force} the parent of each
   * one this call found missing, top down, before returning. A folder another thread made
   * meanwhile has its parent forced here too: that thread may not have forced it yet.
   */
  public static void create(Path dir, Consumer<Path> force) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p);
    }
    for (Path p : missing) {
      try {
        Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(p)) {
          throw e;
        }
      }
      force.accept(p.getParent());
    }
  }

  /** Forces a folder's entries to disk; a file system that refuses it is tolerated. */
  public static void force(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not supported here (some file systems refuse a directory's fsync): the rename is still
      // atomic, only its durability is the operating system's
    }
  }
}
