package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content up to {@link JdbcStore#INLINE_MAX} bytes is kept in the database's row for it, not in
 * the blob store (docs/ARCHITECTURE.md, "Storage model"): what is stored, what is served (whole
 * and in ranges), what {@code check} verifies, and content one byte longer still going to a file.
 */
class InlineContentTest {
  @TempDir static Path data;
  static DavServer server;
  static JdbcStore store;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(data);
    store = TestServers.store(server);
  }

  @AfterAll
  static void stop() throws Exception {
    TestServers.stop(server);
  }

  static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  static int put(String path, byte[] body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(server.uri().resolve(path))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static HttpResponse<byte[]> get(String path, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
    if (range != null) {
      b.header("Range", range);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String hash(String path) {
    return store.read(tx -> tx.resolve(DavPath.parse(path)).orElseThrow().blob());
  }

  static Set<String> blobFiles() throws Exception {
    return store.blobs().list().stream().map(BlobStore.Stored::hash).collect(Collectors.toSet());
  }

  @Test
  void smallFile_isInItsRowNotInTheBlobStore_andServedAsStored() throws Exception {
    byte[] body = random(4096, 1);
    assertEquals(201, put("/small.bin", body));
    String hash = hash("/small.bin");
    assertFalse(blobFiles().contains(hash), "no blob file for content of 4096 bytes");
    assertArrayEquals(body, store.read(tx -> tx.inlineContent(hash)), "the row holds the bytes");
    HttpResponse<byte[]> whole = get("/small.bin", null);
    assertEquals(200, whole.statusCode());
    assertArrayEquals(body, whole.body());
    HttpResponse<byte[]> part = get("/small.bin", "bytes=1000-1099");
    assertEquals(206, part.statusCode());
    assertEquals("bytes 1000-1099/4096", part.headers().firstValue("Content-Range").orElse(""));
    assertArrayEquals(Arrays.copyOfRange(body, 1000, 1100), part.body());
    HttpResponse<byte[]> suffix = get("/small.bin", "bytes=-10");
    assertArrayEquals(Arrays.copyOfRange(body, 4086, 4096), suffix.body());
  }

  @Test
  void multipleRanges_ofContentInItsRow_areTheStoredBytes() throws Exception {
    byte[] body = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    assertEquals(201, put("/ranges.txt", body));
    HttpResponse<byte[]> r = get("/ranges.txt", "bytes=0-1,5-6,-2");
    assertEquals(206, r.statusCode());
    String text = new String(r.body(), StandardCharsets.US_ASCII);
    assertTrue(text.contains("Content-Range: bytes 0-1/20\r\n\r\n01\r\n"), text);
    assertTrue(text.contains("Content-Range: bytes 5-6/20\r\n\r\n56\r\n"), text);
    assertTrue(text.contains("Content-Range: bytes 18-19/20\r\n\r\nij\r\n"), text);
  }

  @Test
  void theLimit_isInItsRow_oneByteMoreIsAFile() throws Exception {
    byte[] atLimit = random(JdbcStore.INLINE_MAX, 2);
    byte[] over = random(JdbcStore.INLINE_MAX + 1, 3);
    assertEquals(201, put("/at-limit.bin", atLimit));
    assertEquals(201, put("/over.bin", over));
    Set<String> files = blobFiles();
    assertFalse(files.contains(hash("/at-limit.bin")));
    assertTrue(files.contains(hash("/over.bin")));
    assertNull(store.read(tx -> tx.inlineContent(hash("/over.bin"))));
    assertArrayEquals(atLimit, get("/at-limit.bin", null).body());
    assertArrayEquals(over, get("/over.bin", null).body());
  }

  @Test
  void sameContentTwice_oneRow_andTheOtherNameStillServesItWhenOneGoes() throws Exception {
    byte[] body = random(700, 4);
    assertEquals(201, put("/twice-a.bin", body));
    assertEquals(201, put("/twice-b.bin", body));
    assertEquals(hash("/twice-a.bin"), hash("/twice-b.bin"));
    assertEquals(204, CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/twice-a.bin"))
        .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    assertArrayEquals(body, get("/twice-b.bin", null).body());
    assertEquals(404, get("/twice-a.bin", null).statusCode());
  }

  @Test
  void emptyFile_isServedEmpty() throws Exception {
    assertEquals(201, put("/empty.txt", new byte[0]));
    HttpResponse<byte[]> r = get("/empty.txt", null);
    assertEquals(200, r.statusCode());
    assertEquals(0, r.body().length);
  }

  /** check verifies content in rows as it verifies blob files: the hash and the length. */
  @Test
  void check_findsContentInARowThatIsNotWhatItsNameSays() throws Exception {
    byte[] body = random(300, 5);
    assertEquals(201, put("/check.bin", body));
    String hash = hash("/check.bin");
    assertEquals(java.util.List.of(), JdbcCheck.run(store).problems());
    byte[] changed = body.clone();
    changed[7] ^= 1;
    setData(hash, changed);
    try {
      assertEquals(java.util.List.of("content " + hash
          + " in the database does not hash to its name"), JdbcCheck.run(store).problems());
      setData(hash, Arrays.copyOf(body, 299));
      java.util.List<String> problems = JdbcCheck.run(store).problems();
      assertTrue(problems.contains(
          "1 files whose content in the database is not as long as they say"), problems.toString());
    } finally {
      setData(hash, body);
    }
    assertEquals(java.util.List.of(), JdbcCheck.run(store).problems());
  }

  private static void setData(String hash, byte[] bytes) {
    store.write(tx -> JdbcTx.sql(() -> {
      try (PreparedStatement ps = ((JdbcTx) tx).connection()
          .prepareStatement("UPDATE blob SET data = ? WHERE hash = ?")) {
        ps.setBytes(1, bytes);
        ps.setString(2, hash);
        return ps.executeUpdate();
      }
    }));
  }
}
