package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.store.s3.S3BlobStore;
import dev.depthdav.store.s3.S3Location;
import dev.depthdav.testing.Postgres;
import dev.depthdav.testing.S3Proxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database with their blobs in one S3 bucket (s3proxy), end to
 * end over HTTP: content put on one is read, in ranges, from the other; COPY sends no bytes to
 * the bucket; a deleted file's object goes only after the grace period; check finds nothing
 * wrong, also from the command line with the S3 flags.
 */
class S3NodesHttpTest extends TwoNodesHttpTest {
  private static final Duration GRACE = Duration.ofHours(1);
  /** The clock the stores age blobs by. */
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  String url;
  String bucket;
  S3Location at;

  /** The nodes of {@link TwoNodesHttpTest} (its tests run here too), their blobs in S3. */
  @BeforeEach
  @Override
  void start() throws Exception {
    url = Postgres.freshDatabase();
    bucket = S3Proxy.freshBucket();
    at = S3Proxy.shared().location(bucket, "dav/blobs");
    storeA = open("a");
    storeB = open("b");
    a = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("a")), storeA,
        new JdbcUsers(storeA));
    b = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("b")), storeB,
        readingAccountsAtOnce(storeB)); // as in TwoNodesHttpTest
  }

  private JdbcStore open(String node) throws Exception {
    InstantSource clock = () -> now.get();
    BlobStore.Opener s3 = (referenced, settings, shared) ->
        new S3BlobStore(at, dir.resolve(node).resolve("s3-spool"), referenced, settings, clock);
    return JdbcStore.openPostgres(url, Postgres.shared().user(), "", s3,
        new StoreSettings(false, GRACE, 0), true);
  }

  HttpResponse<byte[]> bytes(DavServer s, String method, String path, byte[] body,
      String... headers) throws Exception {
    return http.send(request(s, method, path, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body), headers),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A body the store puts in the bucket: longer than what it keeps in its rows. */
  private static final int OBJECT = JdbcStore.INLINE_MAX + 10;

  private static byte[] body(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 13 + (i >> 8));
    }
    return b;
  }

  private List<BlobStore.Stored> objects() throws Exception {
    return storeA.blobs().list();
  }

  @Test
  void put_rangedGet_copy_delete_purge_check() throws Exception {
    byte[] content = body(100_000);
    assertEquals(201, bytes(a, "PUT", "/f.bin", content).statusCode());
    assertEquals(1, objects().size());
    assertEquals(content.length, objects().get(0).size());

    HttpResponse<byte[]> whole = bytes(b, "GET", "/f.bin", null);
    assertEquals(200, whole.statusCode());
    assertArrayEquals(content, whole.body());
    HttpResponse<byte[]> middle = bytes(b, "GET", "/f.bin", null, "Range", "bytes=1000-1999");
    assertEquals(206, middle.statusCode());
    assertEquals("bytes 1000-1999/100000", middle.headers().firstValue("Content-Range")
        .orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(content, 1000, 2000), middle.body());
    HttpResponse<byte[]> last = bytes(b, "GET", "/f.bin", null, "Range", "bytes=-1");
    assertArrayEquals(new byte[] {content[99_999]}, last.body());
    HttpResponse<byte[]> two = bytes(a, "GET", "/f.bin", null, "Range", "bytes=0-0,99999-99999");
    assertEquals(206, two.statusCode());
    assertTrue(two.headers().firstValue("Content-Type").orElseThrow()
        .startsWith("multipart/byteranges"));

    HttpResponse<byte[]> copy = bytes(b, "COPY", "/f.bin", null, "Destination",
        b.uri().resolve("/g.bin").toString());
    assertEquals(201, copy.statusCode());
    assertEquals(1, objects().size(), "COPY sends no bytes: still one object");
    assertArrayEquals(content, bytes(a, "GET", "/g.bin", null).body());
    assertEquals(List.of(), JdbcCheck.run(storeA, GRACE, now.get()).problems());

    assertEquals(204, bytes(a, "DELETE", "/f.bin", null).statusCode());
    assertEquals(204, bytes(b, "DELETE", "/g.bin", null).statusCode());
    storeA.purgeNow();
    storeB.purgeNow();
    assertEquals(1, objects().size(), "younger than the grace period: kept");
    now.set(now.get().plus(GRACE).plusSeconds(60));
    assertEquals(1, JdbcCheck.repair(storeA, GRACE, now.get()));
    assertEquals(List.of(), objects());
    JdbcCheck.Report r = JdbcCheck.run(storeA, GRACE, now.get());
    assertEquals(List.of(), r.problems());
    assertEquals(List.of(), r.unreferencedBlobs());
  }

  @Test
  void put_sameContentOnBothNodes_oneObject_checkClean() throws Exception {
    assertEquals(201, bytes(a, "PUT", "/x", body(OBJECT)).statusCode());
    assertEquals(201, bytes(b, "PUT", "/y", body(OBJECT)).statusCode());
    assertEquals(1, objects().size());
    assertEquals(List.of(), JdbcCheck.run(storeB, GRACE, now.get()).problems());
  }

  /**
   * RFC 4331 §3: a bucket has no free space to tell, so quota-available-bytes is not given (404
   * in the multistatus) while quota-used-bytes is.
   */
  @Test
  void propfind_quota_availableUnknown_usedGiven() throws Exception {
    assertEquals(201, bytes(a, "PUT", "/x", body(OBJECT)).statusCode());
    String q = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>"
        + "<D:quota-available-bytes/><D:quota-used-bytes/></D:prop></D:propfind>";
    HttpResponse<String> r = send(b, "PROPFIND", "/", q, "Depth", "0");
    assertEquals(207, r.statusCode());
    String available = propstat(r.body(), "quota-available-bytes");
    String used = propstat(r.body(), "quota-used-bytes");
    assertTrue(available.contains("404"), r.body());
    assertTrue(used.contains("200") && used.matches("(?s).*quota-used-bytes>\\d+<.*"), r.body());
  }

  /** The propstat element of a multistatus that holds the property {@code name}. */
  private static String propstat(String xml, String name) {
    for (String p : xml.split("propstat>")) {
      if (p.contains(name)) {
        return p;
      }
    }
    return "";
  }

  /**
   * A node whose S3 service cannot be reached: 503 with Retry-After (RFC 9110 §15.6.4) for what
   * needs content, and nothing stored; what needs only rows still works.
   */
  @Test
  void s3Unreachable_503RetryAfter_nothingStored() throws Exception {
    assertEquals(201, bytes(a, "PUT", "/kept", body(OBJECT)).statusCode());
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    S3Location nowhere = new S3Location(bucket, "dav/blobs",
        java.net.URI.create("http://127.0.0.1:" + closed), "us-east-1", true, S3Proxy.IDENTITY,
        S3Proxy.CREDENTIAL, S3Location.PART_SIZE);
    JdbcStore storeC = JdbcStore.openPostgres(url, Postgres.shared().user(), "",
        S3BlobStore.in(nowhere, dir.resolve("c").resolve("s3-spool")),
        new StoreSettings(false, GRACE, 0), false);
    DavServer c = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("c")), storeC,
        new JdbcUsers(storeC));
    try {
      HttpResponse<byte[]> put = bytes(c, "PUT", "/new", body(OBJECT));
      assertEquals(503, put.statusCode(), new String(put.body()));
      assertTrue(put.headers().firstValue("Retry-After").isPresent());
      assertEquals(503, bytes(c, "GET", "/kept", null).statusCode());
      assertEquals(404, bytes(a, "GET", "/new", null).statusCode(), "nothing stored");
      assertEquals(207, bytes(c, "PROPFIND", "/kept", null, "Depth", "0").statusCode());
    } finally {
      c.close();
      storeC.close();
    }
  }

  /** depthdav check --db ... --blobs s3://... with the S3 flags, on the nodes' store. */
  @Test
  void checkCommand_s3Flags_ok() throws Exception {
    assertEquals(201, bytes(a, "PUT", "/x", body(OBJECT)).statusCode());
    int code = Main.check(new String[] {"--data", dir.resolve("c").toString(), "--db", url,
        "--db-user", Postgres.shared().user(), "--blobs", "s3://" + bucket + "/dav/blobs/",
        "--s3-endpoint", at.endpoint().toString(), "--s3-path-style", "--s3-access-key",
        S3Proxy.IDENTITY, "--s3-secret-key", S3Proxy.CREDENTIAL});
    assertEquals(0, code);
  }

  /** depthdav user with the S3 flags (--s3-path-style a switch among them) opens the store. */
  @Test
  void userCommand_s3Flags_listsUsers() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = Main.user(new String[] {"list", "--data", dir.resolve("c").toString(), "--db",
        url, "--db-user", Postgres.shared().user(), "--blobs", "s3://" + bucket + "/dav/blobs",
        "--s3-path-style", "--s3-endpoint", at.endpoint().toString(), "--s3-access-key",
        S3Proxy.IDENTITY, "--s3-secret-key", S3Proxy.CREDENTIAL},
        java.io.InputStream.nullInputStream(), null, new java.io.PrintStream(out),
        new java.io.PrintStream(err));
    assertEquals(0, code, out + " " + err);
  }
}
