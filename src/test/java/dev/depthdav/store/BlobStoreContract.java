package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} guarantees, run against each implementation: content addressing,
 * ranged reads, refusal of long bodies, one copy of equal content, and deletion only when no
 * writer pins a blob, no row names it and (stores shared by several servers) it was not written
 * within the grace period. The clock that ages blobs is a fake one, set by each test.
 */
public abstract class BlobStoreContract {
  protected static final Duration GRACE = Duration.ofHours(1);
  /** The clock the store ages blobs by; starts at the real time (the stores stamp with it). */
  protected final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

  /**
   * A new, empty store whose blobs go only when older than {@link #GRACE} by {@code clock},
   * that asks {@code referenced} whether rows name a blob, and whose multipart threshold (where
   * it has one) is {@code partSize} bytes.
   */
  protected abstract BlobStore create(Predicate<String> referenced, InstantSource clock,
      long partSize) throws Exception;

  private BlobStore create() throws Exception {
    return create(h -> false, () -> now.get(), 5L << 20);
  }

  private static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] read(BlobStore blobs, String hash, long offset, long length)
      throws IOException {
    try (InputStream in = blobs.open(hash, offset, length)) {
      return in.readAllBytes();
    }
  }

  @Test
  void write_readBack_namedBySha256() throws Exception {
    BlobStore blobs = create();
    try (BlobStore.Pending p = blobs.write(in("abc"), -1)) {
      String expected = sha256("abc".getBytes(StandardCharsets.UTF_8));
      assertEquals(new Blob(expected, 3), p.blob());
      assertEquals("abc", new String(read(blobs, expected, 0, 3), StandardCharsets.UTF_8));
      List<BlobStore.Stored> stored = blobs.list();
      assertEquals(1, stored.size());
      assertEquals(expected, stored.get(0).hash());
      assertEquals(3, stored.get(0).size());
      assertEquals(3, blobs.bytes());
    }
  }

  @Test
  void open_ranges_exactBytes() throws Exception {
    BlobStore blobs = create();
    byte[] body = new byte[1000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 7 + i / 256);
    }
    String h = blobs.write(new ByteArrayInputStream(body), -1).blob().hash();
    assertArrayEquals(new byte[] {body[0]}, read(blobs, h, 0, 1), "first byte");
    assertArrayEquals(new byte[] {body[999]}, read(blobs, h, 999, 1), "last byte");
    assertArrayEquals(Arrays.copyOfRange(body, 300, 700), read(blobs, h, 300, 400), "middle");
    assertArrayEquals(body, read(blobs, h, 0, 1000), "whole");
    assertArrayEquals(new byte[0], read(blobs, h, 5, 0), "nothing");
  }

  @Test
  void write_overLimit_tooLargeAndNothingKept() throws Exception {
    BlobStore blobs = create();
    assertThrows(BlobStore.TooLarge.class, () -> blobs.write(in("0123456789"), 5));
    assertEquals(List.of(), blobs.list());
    blobs.write(in("01234"), 5).close(); // at the limit: kept
    assertEquals(1, blobs.list().size());
  }

  @Test
  void write_sameContentTwice_storedOnce() throws Exception {
    BlobStore blobs = create();
    String a = blobs.write(in("same"), -1).blob().hash();
    String b = blobs.write(in("same"), -1).blob().hash();
    assertEquals(a, b);
    assertEquals(1, blobs.list().size());
    assertEquals(4, blobs.bytes());
  }

  @Test
  void delete_onlyWhenUnpinnedUnreferencedAndOld() throws Exception {
    // The store's own look at the rows (when the last pin goes) finds the blob named.
    BlobStore blobs = create(h -> true, () -> now.get(), 5L << 20);
    Instant written = now.get();
    BlobStore.Pending p = blobs.write(in("pinned"), -1);
    String h = p.blob().hash();
    now.set(written.plus(GRACE).plusSeconds(60));
    assertFalse(blobs.deleteIfUnreferenced(h, x -> false), "pinned");
    p.stored();
    p.close();
    assertEquals(1, blobs.list().size(), "named when its pin went");
    assertFalse(blobs.deleteIfUnreferenced(h, x -> true), "referenced");
    now.set(written.plus(GRACE).minusSeconds(60));
    assertFalse(blobs.deleteIfUnreferenced(h, x -> false), "younger than the grace period");
    assertEquals(1, blobs.list().size());
    now.set(written.plus(GRACE).plusSeconds(60));
    assertTrue(blobs.deleteIfUnreferenced(h, x -> false), "all clear");
    assertEquals(List.of(), blobs.list());
    assertThrows(NoSuchFileException.class, () -> read(blobs, h, 0, 1));
  }

  @Test
  void sweep_oldUnreferenced_goesAndNamedStays() throws Exception {
    String kept = sha256("kept".getBytes(StandardCharsets.UTF_8));
    BlobStore blobs = create(kept::equals, () -> now.get(), 5L << 20);
    Instant written = now.get();
    blobs.write(in("kept"), -1).close();
    blobs.write(in("orphan"), -1).close();
    assertEquals(0, blobs.sweep(written.plusSeconds(5)), "young: kept");
    now.set(written.plus(GRACE).plusSeconds(60));
    assertEquals(1, blobs.sweep(now.get()));
    assertEquals(List.of(kept), blobs.list().stream().map(BlobStore.Stored::hash).toList());
  }

  /** 40 MiB from a generator (never an array): several parts where the store has parts. */
  @Test
  void write_large_roundTrip() throws Exception {
    BlobStore blobs = create();
    long size = 40L << 20;
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    BlobStore.Pending p = blobs.write(new Generated(size, sent), -1);
    String expected = HexFormat.of().formatHex(sent.digest());
    assertEquals(new Blob(expected, size), p.blob());
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    try (InputStream in = blobs.open(expected, 0, size)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.update(buf, 0, n);
      }
    }
    assertEquals(expected, HexFormat.of().formatHex(got.digest()));
    assertArrayEquals(Generated.bytes(size - 10, 10), read(blobs, expected, size - 10, 10));
    p.close();
  }

  /** A long body computed byte by byte, hashed as it is read. */
  public static final class Generated extends InputStream {
    private final long size;
    private final MessageDigest sha;
    private long pos;

    public Generated(long size, MessageDigest sha) {
      this.size = size;
      this.sha = sha;
    }

    static byte at(long i) {
      return (byte) (i * 31 + (i >> 12));
    }

    static byte[] bytes(long from, int n) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        b[i] = at(from + i);
      }
      return b;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = at(pos + i);
      }
      sha.update(b, off, n);
      pos += n;
      return n;
    }
  }
}
