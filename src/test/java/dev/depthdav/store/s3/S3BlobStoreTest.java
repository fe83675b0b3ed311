package dev.depthdav.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.BlobStoreContract;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.testing.S3Proxy;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract on an S3 bucket of a real S3 server (s3proxy), and what S3 adds. */
class S3BlobStoreTest extends BlobStoreContract {
  @TempDir Path spool;
  private final List<BlobStore> opened = new ArrayList<>();
  private String bucket;

  @Override
  protected BlobStore create(Predicate<String> referenced, InstantSource clock, long partSize)
      throws Exception {
    bucket = S3Proxy.freshBucket();
    S3Location at = S3Proxy.shared().location(bucket, "blobs").withPartSize(partSize);
    BlobStore s = new S3BlobStore(at, spool, referenced, settings(), clock);
    opened.add(s);
    return s;
  }

  private static StoreSettings settings() {
    return new StoreSettings(false, GRACE, 0);
  }

  @AfterEach
  void close() {
    opened.forEach(BlobStore::close);
  }

  @Test
  void write_keyedByPrefixAndHash() throws Exception {
    BlobStore blobs = create(h -> false, InstantSource.system(), S3Location.PART_SIZE);
    String h = blobs.write(new ByteArrayInputStream(new byte[] {1, 2, 3}), -1).blob().hash();
    List<Path> objects = S3Proxy.shared().objects(bucket);
    assertEquals(1, objects.size(), objects.toString());
    assertTrue(objects.get(0).endsWith(Path.of(bucket, "blobs", h.substring(0, 2), h)),
        objects.toString());
  }

  /** S3 cannot touch: writing content it has copies the object onto itself, a new date. */
  @Test
  void write_existingContent_touchesTheObject() throws Exception {
    BlobStore blobs = create(h -> false, InstantSource.system(), S3Location.PART_SIZE);
    blobs.write(new ByteArrayInputStream(new byte[] {9}), -1).close();
    Instant first = blobs.list().get(0).modified();
    // The service's clock dates objects, to the second: this one waits for it, it cannot be faked.
    Thread.sleep(1100);
    blobs.write(new ByteArrayInputStream(new byte[] {9}), -1).close();
    Instant second = blobs.list().get(0).modified();
    assertTrue(second.isAfter(first), first + " then " + second);
  }

  /**
   * Another server's deleter removes an object between a writer's touch of it and the writer's
   * commit (it looked at the age just before the touch): once its row has committed, the writer
   * finds the object gone and sends it again from its spool file.
   */
  @Test
  void write_touchRacedByDelete_sentAgainAfterCommit() throws Exception {
    BlobStore writer = create(h -> true, InstantSource.system(), S3Location.PART_SIZE);
    S3Location at = S3Proxy.shared().location(bucket, "blobs");
    Instant later = Instant.now().plus(GRACE).plusSeconds(60);
    BlobStore deleter = new S3BlobStore(at, spool.resolve("other"), h -> false, settings(),
        () -> later);
    opened.add(deleter);
    writer.write(new ByteArrayInputStream(new byte[] {7}), -1).close();
    BlobStore.Pending again = writer.write(new ByteArrayInputStream(new byte[] {7}), -1);
    String h = again.blob().hash();
    assertTrue(deleter.deleteIfUnreferenced(h, x -> false));
    assertEquals(List.of(), writer.list());
    again.stored(); // its row committed
    again.close();
    assertEquals(1, writer.list().size());
    try (var in = writer.open(h, 0, 1)) {
      assertEquals(7, in.read());
    }
  }

  @Test
  void unreachable_unavailable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    S3Location at = new S3Location("depthdav", "", URI.create("http://127.0.0.1:" + closed),
        "us-east-1", true, "id", "secret", S3Location.PART_SIZE);
    BlobStore blobs = new S3BlobStore(at, spool, h -> false, settings(), InstantSource.system());
    opened.add(blobs);
    String h = "ab".repeat(32);
    StoreException.Unavailable e = assertThrows(StoreException.Unavailable.class,
        () -> blobs.write(new ByteArrayInputStream(new byte[] {1}), -1));
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    assertThrows(StoreException.Unavailable.class, () -> blobs.open(h, 0, 1));
    assertThrows(StoreException.Unavailable.class, blobs::list);
    assertFalse(blobs.deleteIfUnreferenced(h, x -> false));
  }

  /**
   * 40 MiB in 5 MiB parts from a JVM with 24 MiB of heap: it fails with OutOfMemoryError if any
   * part of the path (spool, SDK, HTTP client) held the body whole.
   */
  @Test
  void write_large_inBoundedMemory() throws Exception {
    bucket = S3Proxy.freshBucket();
    URI endpoint = S3Proxy.shared().endpoint();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xmx24m", "-cp",
        System.getProperty("java.class.path"), LargeWrite.class.getName(), endpoint.toString(),
        bucket, spool.toString(), Long.toString(40L << 20))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("stored " + (40L << 20)), out);
  }

  /** The child of {@link #write_large_inBoundedMemory}. */
  public static final class LargeWrite {
    public static void main(String[] args) throws Exception {
      S3Location at = new S3Location(args[1], "big", URI.create(args[0]), "us-east-1", true,
          S3Proxy.IDENTITY, S3Proxy.CREDENTIAL, 5L << 20);
      long size = Long.parseLong(args[3]);
      BlobStore blobs = new S3BlobStore(at, Path.of(args[2]), h -> false,
          new StoreSettings(false, Duration.ofHours(1), 0), InstantSource.system());
      try (BlobStore.Pending p = blobs.write(new Generated(size,
          java.security.MessageDigest.getInstance("SHA-256")), -1)) {
        System.out.println("stored " + p.blob().length() + " as " + p.blob().hash()
            + ", max heap " + Runtime.getRuntime().maxMemory());
      } finally {
        blobs.close();
      }
    }
  }
}
