package dev.depthdav.store.jdbc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.disk.FilePathDisk;

/**
 * Diagnostics for {@link CompactionKillChild} ({@code -Dcompactionkill.probe=true}): H2's files
 * as usual, except that a write to a database file by a thread that does not hold the writer lock
 * is reported on standard error with its stack. The database is opened as
 * {@code jdbc:h2:probe:...}. Every chunk is
 * meant to be written under that lock (docs/ARCHITECTURE.md, "Durability").
 */
final class ProbeDisk extends FilePathDisk {
  private static volatile ReentrantLock writer;
  private static volatile PrintStream report;

  /** Replaces H2's provider of {@code file:} paths; reports from now on. */
  static void install(ReentrantLock lock, PrintStream to) {
    writer = lock;
    report = to;
    FilePath.register(new ProbeDisk());
  }

  @Override
  public String getScheme() {
    return "probe";
  }

  /** With the scheme, so that H2 opens the paths it derives from this one here too. */
  @Override
  public String toString() {
    return "probe:" + name;
  }

  @Override
  public FilePathDisk getPath(String path) {
    ProbeDisk p = new ProbeDisk();
    p.name = translateFileName(path.startsWith("probe:") ? path.substring(6) : path);
    return p;
  }

  @Override
  public FilePathDisk toRealPath() {
    return getPath(super.toRealPath().name);
  }

  @Override
  public FilePath getParent() {
    FilePath parent = super.getParent();
    return parent == null ? null : getPath(parent.name);
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    FileChannel base = super.open(mode);
    if (report != null) {
      report.println("probe: opened " + name + " (" + mode + ")");
    }
    return name.endsWith(".mv.db") ? new Checked(base, name) : base;
  }

  private static final class Checked extends FileChannel {
    private final FileChannel base;
    private final String name;

    Checked(FileChannel base, String name) {
      this.base = base;
      this.name = name;
    }

    private void check(long position, int length) {
      ReentrantLock lock = writer;
      if (lock != null && !lock.isHeldByCurrentThread()) {
        Throwable where = new Throwable("written without the writer lock: " + name + " at "
            + position + ", " + length + " bytes, by " + Thread.currentThread().getName());
        synchronized (report) {
          where.printStackTrace(report);
          report.flush();
        }
      }
    }

    @Override public int read(ByteBuffer dst) throws IOException {
      return base.read(dst);
    }

    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return base.read(dsts, offset, length);
    }

    @Override public int write(ByteBuffer src) throws IOException {
      check(base.position(), src.remaining());
      return base.write(src);
    }

    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      check(base.position(), -1);
      return base.write(srcs, offset, length);
    }

    @Override public long position() throws IOException {
      return base.position();
    }

    @Override public FileChannel position(long newPosition) throws IOException {
      base.position(newPosition);
      return this;
    }

    @Override public long size() throws IOException {
      return base.size();
    }

    @Override public FileChannel truncate(long size) throws IOException {
      check(size, 0);
      base.truncate(size);
      return this;
    }

    @Override public void force(boolean metaData) throws IOException {
      base.force(metaData);
    }

    @Override public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return base.transferTo(position, count, target);
    }

    @Override public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      check(position, (int) count);
      return base.transferFrom(src, position, count);
    }

    @Override public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override public int write(ByteBuffer src, long position) throws IOException {
      check(position, src.remaining());
      return base.write(src, position);
    }

    @Override public MappedByteBuffer map(MapMode mode, long position, long size)
        throws IOException {
      return base.map(mode, position, size);
    }

    @Override public FileLock lock(long position, long size, boolean shared) throws IOException {
      return base.lock(position, size, shared);
    }

    @Override public FileLock tryLock(long position, long size, boolean shared)
        throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override protected void implCloseChannel() throws IOException {
      base.close();
    }
  }
}
