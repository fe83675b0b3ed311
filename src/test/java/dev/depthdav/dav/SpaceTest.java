package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Space comes back: content that no resource names does not stay on disk. */
class SpaceTest {
  @TempDir Path data;
  private DavServer server;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(data);
    http = new Http(server.uri());
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  /** The blob files on disk, read from the folder itself (temporary uploads aside). */
  private List<Path> blobsOnDisk() throws Exception {
    Path blobs = data.resolve("blobs");
    try (var files = Files.walk(blobs)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.startsWith(blobs.resolve("tmp")))
          .toList();
    }
  }

  @Test
  void overwrites_thenDelete_leaveNoBlob() throws Exception {
    for (int i = 0; i < 50; i++) {
      // Longer than what the store keeps in its rows (JdbcStore.INLINE_MAX): blob files.
      int status = http.send("PUT", "/f.bin", "version " + i + " " + "x".repeat(20_000))
          .statusCode();
      assertEquals(i == 0 ? 201 : 204, status);
    }
    assertEquals(1, blobsOnDisk().size(), "only the current version's content stays");
    assertEquals(204, http.send("DELETE", "/f.bin", null).statusCode());
    TestServers.store(server).purgeNow();
    assertEquals(List.of(), blobsOnDisk());
  }

  @Test
  void putRefusedAfterItsBodyWasStored_leavesNoBlob() throws Exception {
    // A PUT with If-None-Match: * passes the early check; while its body is on the way another
    // PUT creates the file, so the check in the write transaction refuses it (412) after its
    // body was stored.
    try (java.net.Socket s = new java.net.Socket(server.uri().getHost(),
        server.uri().getPort())) {
      s.setSoTimeout(30_000);
      java.io.OutputStream out = s.getOutputStream();
      // Half the body now (fast enough for the minimum upload rate), half after the race; both
      // bodies longer than what the store keeps in its rows (JdbcStore.INLINE_MAX).
      byte[] half = new byte[10_000];
      out.write(("PUT /raced.txt HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: *\r\n"
          + "Content-Length: 20000\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write(half);
      out.flush();
      assertEquals(201, http.send("PUT", "/raced.txt", WINNER).statusCode());
      out.write(half);
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 412"), answer);
    }
    assertEquals(WINNER, http.send("GET", "/raced.txt", null).body());
    assertEquals(1, blobsOnDisk().size(), "only the winner's content stays");
  }

  /** The race's winner: a blob file, longer than JdbcStore.INLINE_MAX. */
  private static final String WINNER = "the winner ".repeat(2_000);

  @Test
  void sameContentTwice_overwriteOfOne_keepsTheOther() throws Exception {
    String shared = "shared".repeat(5_000); // blob files: longer than JdbcStore.INLINE_MAX
    assertEquals(201, http.send("PUT", "/a.txt", shared).statusCode());
    assertEquals(201, http.send("PUT", "/b.txt", shared).statusCode());
    assertEquals(204, http.send("PUT", "/a.txt", "other".repeat(5_000)).statusCode());
    assertEquals(shared, http.send("GET", "/b.txt", null).body());
    assertEquals(2, blobsOnDisk().size());
  }

  @Test
  void quotaProperties_onCollections_followTheStoredBytes() throws Exception {
    String ask = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>"
        + "<D:quota-available-bytes/><D:quota-used-bytes/></D:prop></D:propfind>";
    assertEquals(201, http.send("PUT", "/small.bin", "s".repeat(10_000)).statusCode());
    long used = quota(http.send("PROPFIND", "/", ask, "Depth", "0").body(), "quota-used-bytes");
    long free = quota(http.send("PROPFIND", "/", ask, "Depth", "0").body(),
        "quota-available-bytes");
    assertTrue(used >= 10_000, "used " + used);
    long usable = Files.getFileStore(data).getUsableSpace();
    assertTrue(free > 0 && free <= usable, free + " of " + usable + " usable");
    assertEquals(201, http.send("PUT", "/big.bin", "b".repeat(200_000)).statusCode());
    long after = quota(http.send("PROPFIND", "/", ask, "Depth", "0").body(), "quota-used-bytes");
    assertTrue(after >= used + 200_000, used + " then " + after);
    // Not on files; not in allprop; protected (RFC 4331 §3, §4).
    String onFile = http.send("PROPFIND", "/small.bin", ask, "Depth", "0").body();
    assertTrue(onFile.contains("404"), onFile);
    assertTrue(!onFile.contains("<D:quota-used-bytes>"), onFile);
    String all = http.send("PROPFIND", "/", null, "Depth", "0").body();
    assertTrue(!all.contains("quota"), all);
    String set = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
        + "<D:quota-used-bytes>1</D:quota-used-bytes></D:prop></D:set></D:propertyupdate>";
    assertTrue(http.send("PROPPATCH", "/", set).body().contains("403"));
  }

  /** Waits (30 s at most) until the operation at {@code location} is done or failed. */
  private void awaitFinished(String location) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String state = "";
    while (!state.contains("\"state\": \"done\"")
        && !state.contains("\"state\": \"failed\"") && System.nanoTime() < deadline) {
      state = http.send("GET", location, null).body();
    }
  }

  private static long quota(String multistatus, String name) {
    int at = multistatus.indexOf("<D:" + name + ">");
    assertTrue(at >= 0, name + " missing: " + multistatus);
    int from = at + name.length() + 4;
    return Long.parseLong(multistatus.substring(from, multistatus.indexOf('<', from)));
  }

  @Test
  void asyncResults_keptInTheBlobStore_theirCaptureFileGone() throws Exception {
    var accepted = http.send("PROPFIND", "/", null, "Depth", "1", "Prefer", "respond-async");
    assertEquals(202, accepted.statusCode());
    String location = accepted.headers().firstValue("Location").orElseThrow();
    awaitFinished(location);
    var result = http.send("GET", location + "/result", null);
    assertEquals(207, result.statusCode());
    Path results = data.resolve("operations");
    try (var files = Files.list(results)) {
      assertEquals(0, files.count(), "the capture went to the blob store: " + results);
    }
    String hash = sha256(result.body());
    assertTrue(TestServers.store(server).blobs().localPath(hash).map(Files::exists)
        .orElse(false), hash);
  }

  private static String sha256(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void asyncResultPastItsLimit_is507_neverACutListing() throws Exception {
    TestServers.stop(server);
    server = TestServers.start(data, c -> c.withMaxAsyncResult(2_000), s -> s);
    http = new Http(server.uri());
    for (int i = 0; i < 20; i++) {
      assertEquals(201, http.send("MKCOL", "/m" + i + "/", null).statusCode());
    }
    var accepted = http.send("PROPFIND", "/", null, "Depth", "1", "Prefer", "respond-async");
    String location = accepted.headers().firstValue("Location").orElseThrow();
    awaitFinished(location);
    var result = http.send("GET", location + "/result", null);
    assertEquals(507, result.statusCode(), result.body());
    assertTrue(result.body().contains("exceeds 2000 bytes"), result.body());
  }

  @Test
  void lockOnAnUnmappedUrl_keepsTheEmptyContentItsRowNames() throws Exception {
    String lock = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope>"
        + "<D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
    assertEquals(201, http.send("LOCK", "/new.txt", lock).statusCode());
    TestServers.stop(server);
    server = null;
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      assertEquals(List.of(), JdbcCheck.run(store).problems());
    }
    server = TestServers.start(data);
  }

  @Test
  void orphanOlderThanGrace_isAProblemForCheck_andRepairRemovesIt() throws Exception {
    // A blob file: longer than what the store keeps in its rows (JdbcStore.INLINE_MAX).
    assertEquals(201, http.send("PUT", "/kept.txt", "kept".repeat(5_000)).statusCode());
    TestServers.stop(server);
    server = null;
    // What a crash between writing a blob and committing its row leaves behind.
    String hash = "ab".repeat(32);
    Path orphan = data.resolve("blobs").resolve("ab").resolve("ab").resolve(hash);
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "orphan");
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      Instant now = Instant.now();
      JdbcCheck.Report young = JdbcCheck.run(store, Duration.ofHours(3), now);
      assertEquals(List.of(), young.problems(), "younger than the grace period: listed only");
      assertEquals(List.of(hash), young.unreferencedBlobs());
      JdbcCheck.Report old = JdbcCheck.run(store, Duration.ofHours(1), now);
      assertEquals(1, old.problems().size(), old.problems().toString());
      assertTrue(old.problems().get(0).contains("no resource names"), old.problems().toString());
      assertEquals(1, JdbcCheck.repair(store, Duration.ofHours(1), now));
      assertEquals(List.of(), JdbcCheck.run(store, Duration.ofHours(1), now).problems());
      assertTrue(Files.exists(store.blobs().localPath(store.read(tx -> tx.resolve(
          dev.depthdav.store.DavPath.parse("/kept.txt")).orElseThrow().blob())).orElseThrow()));
    }
    server = TestServers.start(data);
  }
}
