package dev.depthdav.store.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The first {@code limit} bytes of a stream; closing it closes the stream. */
public final class BoundedInputStream extends FilterInputStream {
  private long left;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.left = limit;
  }

  /** The bytes {@code offset} to {@code offset + length - 1} of a file. */
  public static InputStream slice(Path file, long offset, long length) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ch.position(offset);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return new BoundedInputStream(Channels.newInputStream(ch), length);
  }

  @Override
  public int read() throws IOException {
    if (left <= 0) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, left));
    left -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), left);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
