package dev.depthdav.dav;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Tx;
import dev.depthdav.store.blob.Spool;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;

/**
 * PUT (RFC 9110 §9.3.4, RFC 4918 §9.7). The body is streamed into the blob store and made
 * durable before the metadata transaction commits, or, when its Content-Length is within the
 * store's {@code inlineMax}, read whole and written in that transaction; either way a 201/204
 * means the bytes are on disk.
 */
final class PutMethod implements Method {
  /** Bodies being read: a bounded share of the threads, so slow uploads cannot take them all. */
  private final Semaphore uploads;
  private final long minRate;

  PutMethod(int maxUploads, long minRate) {
    this.uploads = new Semaphore(maxUploads);
    this.minRate = minRate;
  }

  @Override
  public void handle(Exchange x) throws IOException {
    if (!uploads.tryAcquire()) {
      throw new DavError(503, null, "", "too many uploads in progress; try again shortly", 5);
    }
    try {
      put(x);
    } finally {
      uploads.release();
    }
  }

  private void put(Exchange x) throws IOException {
    DavPath path = x.path();
    if (x.header("Content-Range") != null) {
      // RFC 9110 §14.5: a server that does not support partial PUT must answer 400.
      throw new DavError(400, "partial PUT with Content-Range is not supported");
    }
    // Refuse early, before the body is read: nothing is written for a request that must fail.
    long left = x.store.read(tx -> {
      Node existing = tx.resolve(path).orElse(null);
      check(x, existing, tx);
      return room(x, tx, existing);
    });
    String type = contentType(x, path);
    if (type.length() > MAX_CONTENT_TYPE) {
      throw new DavError(400, "Content-Type longer than " + MAX_CONTENT_TYPE + " characters");
    }
    long max = x.settings.maxUpload();
    long declared = x.req.getContentLengthLong();
    if (max > 0 && declared > max) {
      throw tooLarge(max);
    }
    if (declared > left) {
      throw overQuota(x, declared, left);
    }
    try (BlobStore.Pending pending = body(x, minRate, max, left)) {
      Blob blob = pending.blob();
      Written done = x.store.write(tx -> {
        Optional<Node> existing = tx.resolve(path);
        Node parent = check(x, existing.orElse(null), tx);
        long room = room(x, tx, existing.orElse(null));
        if (blob.length() > room) { // other uploads of the user committed meanwhile
          throw overQuota(x, blob.length(), room);
        }
        if (existing.isPresent()) {
          return new Written(tx.replaceContent(existing.get().id(), blob, type, x.now()), false);
        }
        return new Written(tx.createFile(parent.id(), path.name(), blob, type, x.now()), true);
      });
      pending.stored();
      x.resp.setHeader("ETag", LiveProps.etag(done.node()));
      x.status(done.created() ? 201 : 204);
    }
  }

  /** The longest Content-Type kept (the store's {@code node.content_type} column). */
  static final int MAX_CONTENT_TYPE = 1024;

  /**
   * Stores the body. Reading it can fail only through the client (a body shorter than its
   * Content-Length, a connection gone): that is its 400; failures of the disk are the store's
   * (507) and are not IOExceptions here.
   */
  private static BlobStore.Pending body(Exchange x, long minRate, long max, long left) {
    try {
      InputStream in = new MinRate(x.req.getInputStream(), minRate,
          max > 0 ? max : Long.MAX_VALUE, left);
      long declared = x.req.getContentLengthLong();
      if (declared >= 0 && declared <= x.store.inlineMax()) {
        return inline(in, (int) declared);
      }
      return x.store.blobs().write(in, -1);
    } catch (IOException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof MinRate.Exceeded over) {
          throw over.quota ? overQuota(x, over.bytes, left) : tooLarge(max);
        }
      }
      if (e instanceof RuntimeException && !(e instanceof HttpException)) {
        throw (RuntimeException) e; // the store's (507 and the like), not the client's
      }
      int status = timedOut(e) ? 408 : 400;
      throw new DavError(status, (status == 408 ? "the request body came too slowly ("
          : "the request body could not be read in full (") + e + "): nothing was stored");
    }
  }

  /**
   * A body that the store keeps in its row (Store.inlineMax), read whole and hashed: it becomes
   * durable with the commit that names it, so there is nothing to pin.
   */
  private static BlobStore.Pending inline(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException(bytes.length + " bytes of a body of " + length);
    }
    Blob blob = new Blob(HexFormat.of().formatHex(Spool.sha256().digest(bytes)), length, bytes);
    return new BlobStore.Pending() {
      @Override
      public Blob blob() {
        return blob;
      }

      @Override
      public void stored() {}

      @Override
      public void close() {}
    };
  }

  /**
   * A request body that must keep up a minimum average rate once a grace period has passed
   * (a stalled one ends with the connector's idle timeout), so that a client trickling a byte a
   * second cannot hold a thread for the length of its upload. Only PUT bodies are measured: the
   * small XML bodies of other methods are read at once and capped in size.
   */
  static final class MinRate extends java.io.FilterInputStream {
    static final long GRACE_NANOS = 5_000_000_000L;
    private final long minRate;
    /** The most bytes of one upload (--max-upload); a body past it is stopped there. */
    private final long max;
    /** The bytes the user's quota leaves; a body past it is stopped there. */
    private final long quota;
    private long start;
    private long bytes;

    /** The body went past one of the two limits; nothing of it is kept. */
    static final class Exceeded extends IOException {
      private static final long serialVersionUID = 1L;
      final boolean quota;
      final long bytes;

      Exceeded(boolean quota, long bytes) {
        super(quota ? "upload past the quota" : "upload past --max-upload");
        this.quota = quota;
        this.bytes = bytes;
      }
    }

    MinRate(java.io.InputStream in, long minRate, long max, long quota) {
      super(in);
      this.minRate = minRate;
      this.max = max;
      this.quota = quota;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (start == 0) {
        start = System.nanoTime();
      }
      int n = super.read(b, off, len);
      if (n > 0) {
        bytes += n;
        if (bytes > max || bytes > quota) {
          throw new Exceeded(bytes > quota, bytes);
        }
      }
      long elapsed = System.nanoTime() - start;
      if (minRate > 0 && n >= 0 && elapsed > GRACE_NANOS
          && bytes * 1_000_000_000L / elapsed < minRate) {
        throw new IOException("request body slower than " + minRate + " bytes per second",
            new TimeoutException());
      }
      return n;
    }
  }

  /** Whether reading failed because the body was too slow: ours, Jetty's 408, an idle timeout. */
  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException h && h.getCode() == 408
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bytes this upload may have under the principal's quota: what is left, plus what the
   * file it replaces holds (an overwrite frees that).
   */
  private static long room(Exchange x, Tx tx, Node existing) {
    long left = x.quotaLeft(tx);
    if (left == Long.MAX_VALUE) {
      return left;
    }
    return left + (existing != null && !existing.collection() ? existing.length() : 0);
  }

  private static DavError tooLarge(long max) {
    return new DavError(413, "the body exceeds the largest upload accepted, " + max
        + " bytes (--max-upload): nothing was stored");
  }

  /** RFC 4331 §6: 507 with DAV:quota-not-exceeded; nothing is stored. */
  static DavError overQuota(Exchange x, long bytes, long room) {
    return new DavError(Status.INSUFFICIENT_STORAGE, "quota-not-exceeded", "", "user "
        + x.principal().name() + " has " + Math.max(0, room) + " bytes left of a quota of "
        + x.principal().quota() + "; " + bytes + " bytes do not fit: nothing was stored");
  }

  /** The stored resource and whether the PUT created it. */
  private record Written(Node node, boolean created) {}

  /** The checks before and in the write; returns the parent collection of a new resource. */
  private static Node check(Exchange x, Node existing, Tx tx) {
    if (existing != null && existing.collection()) {
      throw new DavError(405, "cannot PUT to a collection");
    }
    if (x.isRoot(x.path())) {
      throw new DavError(405, "cannot PUT to the root collection");
    }
    Preconditions.check(x, existing);
    Node parent = existing == null ? Paths.parentCollection(tx, x.path()) : null;
    LockGate gate = LockGate.open(x, tx);
    if (existing == null) {
      gate.member(x.path());
    } else {
      gate.resource(x.path());
    }
    gate.require();
    return parent;
  }

  /** The Content-Type the client sent, else one guessed from the name. */
  private static String contentType(Exchange x, DavPath path) {
    String sent = x.req.getContentType();
    if (sent != null && !sent.isBlank()) {
      return sent;
    }
    // From the last segment's extension only: guessContentTypeFromName treats "#" as the start
    // of a URL fragment, so "a#1.txt" would lose its type.
    String name = path.name();
    int dot = name.lastIndexOf('.');
    String guessed = dot < 0 ? null
        : URLConnection.getFileNameMap().getContentTypeFor("x" + name.substring(dot));
    return guessed != null ? guessed : "application/octet-stream";
  }
}
