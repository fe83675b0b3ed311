package dev.depthdav.store.s3;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DiskRoom;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.blob.Pins;
import dev.depthdav.store.blob.Spool;
import dev.depthdav.store.blob.Tally;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects of an S3 bucket, named by the SHA-256 of their bytes:
 * {@code <prefix>/ab/abcd...}.
 *
 * <p>Writing: the body is first spooled to a local temporary file while it is hashed (never held
 * in memory), then sent under its final key, in one PutObject below one part size, else as a
 * multipart upload whose parts are read from the file one at a time. Spooling first, rather than
 * streaming a multipart upload to a temporary key and copying it to its name, means: the name is
 * known before a byte goes out, so content the bucket already has is not sent again (a HEAD, then
 * a touch); a refused body ({@code maxBytes}) or a client that stops sending leaves nothing in
 * the bucket; no server-side copy (limited to 5 GiB in one request) and no temporary objects to
 * collect after a crash. The cost is local disk for bodies in flight and a second pass over them.
 *
 * <p>Durability: S3 answers a PutObject or CompleteMultipartUpload with 200 only once the object
 * is stored durably, and {@link #write} returns only after that answer, so the object is durable
 * before the row naming it commits (docs/ARCHITECTURE.md, "Blobs in S3").
 *
 * <p>Deletion: a bucket is shared by every server on the database, and another server's upload
 * may be in the bucket and not yet named by a committed row (its pin is in that process). So a
 * blob is deleted only when no local writer pins it, its object was last written more than the
 * orphan grace period ago, and no committed row names it. S3 cannot touch an object, so a write
 * of content the bucket has copies the object onto itself with new metadata, which gives it a new
 * LastModified. A delete that raced such a touch (the deleter looked at the age just before it)
 * is caught by the writer: once its row has committed it looks for the object again and sends it
 * from its spool file if it is gone.
 *
 * <p>Failures to reach the service (connection refused, timeouts, 5xx after the SDK's retries)
 * are {@link dev.depthdav.store.StoreException.Unavailable} (503 with Retry-After).
 */
public final class S3BlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final S3Location at;
  private final S3Calls s3;
  /** This process's spool folder, one of the spool root's. */
  private final Path spool;
  private final DiskRoom room;
  private final Predicate<String> referenced;
  private final Duration grace;
  private final InstantSource clock;
  /** Blobs written but not yet committed by this process; its monitor guards deletion. */
  private final Pins pins;
  /** The bytes of all blobs. */
  private final Tally tally;

  /**
   * A store in the bucket {@code at}, spooling bodies to a folder of its own under
   * {@code spoolRoot} (local disk, where {@code settings.minFreeBytes()} are kept free).
   */
  public S3BlobStore(S3Location at, Path spoolRoot, Predicate<String> referenced,
      StoreSettings settings, InstantSource clock) throws IOException {
    this.at = at;
    this.s3 = new S3Calls(S3Calls.client(at), at);
    this.referenced = referenced;
    this.grace = settings.orphanGrace();
    this.clock = clock;
    this.pins = new Pins(hash -> deleteIfUnreferenced(hash, referenced));
    this.tally = new Tally(pins);
    Files.createDirectories(spoolRoot);
    Spool.clearOthers(spoolRoot, null, clock.instant().minus(grace));
    this.spool = spoolRoot.resolve(UUID.randomUUID().toString());
    Files.createDirectories(spool);
    this.room = new DiskRoom(spool, settings.minFreeBytes());
  }

  /**
   * Opens the blobs in the bucket {@code at} for a metadata store, spooling under
   * {@code spoolRoot}. A bucket is always treated as shared: blobs go only after the grace period.
   */
  public static Opener in(S3Location at, Path spoolRoot) {
    return (referenced, settings, shared) ->
        new S3BlobStore(at, spoolRoot, referenced, settings, InstantSource.system());
  }

  @Override
  public Pending write(InputStream in, long maxBytes) throws IOException {
    // The spool needs no fsync: the durable copy is the object, sent before this returns.
    Spool body = Spool.write(in, maxBytes, spool, room, false);
    boolean kept = false;
    try {
      String hash = body.hash();
      pins.pin(hash);
      try {
        boolean existed = place(body);
        kept = existed;
        return pins.pending(new Blob(hash, body.length()),
            existed ? stored -> afterTouch(body, stored) : Pins.After.NOTHING);
      } catch (RuntimeException e) {
        pins.release(hash, false);
        throw e;
      }
    } finally {
      if (!kept) {
        body.delete();
      }
    }
  }

  /** Makes the blob durable in the bucket; true when it was there already (touched, not sent). */
  private boolean place(Spool body) {
    String key = at.key(body.hash());
    if (s3.head(key) != null && s3.touch(key)) {
      return true;
    }
    s3.upload(body, key);
    tally.add(body.length());
    return false;
  }

  /**
   * After the row naming touched content committed: if another server deleted the object
   * between looking at its age and deleting it, sends it again. Then drops the spool file.
   */
  private void afterTouch(Spool body, boolean stored) {
    try {
      String key = at.key(body.hash());
      if (stored && s3.head(key) == null) {
        log.warn("blob {} was deleted while it was written again; sending it again",
            body.hash());
        s3.upload(body, key);
      }
    } catch (RuntimeException e) {
      log.warn("could not verify blob {} after its commit: {}", body.hash(), e.toString());
    } finally {
      try {
        body.delete();
      } catch (IOException e) {
        log.warn("could not delete the spool file {}", body.file(), e);
      }
    }
  }

  @Override
  public InputStream open(String hash, long offset, long length) throws IOException {
    InputStream in = s3.get(at.key(hash), offset, length);
    if (in == null) {
      throw new NoSuchFileException(at + "/" + at.key(hash));
    }
    return in;
  }

  @Override
  public boolean deleteIfUnreferenced(String hash, Predicate<String> referenced) {
    synchronized (pins) {
      if (pins.deferIfPinned(hash)) {
        return false; // a writer holds it: its last release decides
      }
      try {
        String key = at.key(hash);
        HeadObjectResponse h = s3.head(key);
        if (h == null || h.lastModified().isAfter(clock.instant().minus(grace))) {
          return false; // gone, or maybe another server's write in flight: the sweep looks again
        }
        if (referenced.test(hash)) {
          return false;
        }
        s3.delete(key);
        tally.add(-h.contentLength());
        return true;
      } catch (RuntimeException e) {
        return false; // cannot tell (unreachable, the store closing): keep it
      }
    }
  }

  @Override
  public List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    for (S3Object o : s3.list(at.folder())) {
      String name = o.key().substring(o.key().lastIndexOf('/') + 1);
      if (HASH.matcher(name).matches() && o.key().equals(at.key(name))) {
        out.add(new Stored(name, o.size(), o.lastModified()));
      }
    }
    return out;
  }

  @Override
  public int sweep(Instant cutoff) {
    int gone = 0;
    for (Stored b : list()) {
      if (b.modified().isBefore(cutoff) && deleteIfUnreferenced(b.hash(), referenced)) {
        gone++;
      }
    }
    return gone;
  }

  @Override
  public long bytes() {
    return tally.bytes(this::list);
  }


  /** A bucket has no free space to tell; quotas come from the users' own (RFC 4331). */
  @Override
  public long available() {
    return UNKNOWN;
  }

  @Override
  public void close() {
    s3.close();
    try (var files = Files.newDirectoryStream(spool)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      log.warn("could not clear the spool folder {}", spool, e);
    }
  }

  @Override
  public String toString() {
    return at.toString();
  }
}
