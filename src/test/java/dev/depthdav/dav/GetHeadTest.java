package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.jdbc.JdbcStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GET and HEAD per RFC 9110, read as raw bytes off the socket: ranges, conditional requests, the
 * validators of a 206, collections without their slash, dates and identity.
 */
class GetHeadTest {
  private static final String BODY = "0123456789abcdefghij";
  @TempDir static Path data;
  static DavServer server;
  static Http http;
  static String etag;
  static String lastModified;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(data);
    http = new Http(server.uri());
    HttpResponse<String> put = http.send("PUT", "/f.txt", BODY);
    assertEquals(201, put.statusCode());
    etag = put.headers().firstValue("ETag").orElseThrow();
    lastModified = http.send("HEAD", "/f.txt", null).headers().firstValue("Last-Modified")
        .orElseThrow();
    assertEquals(201, http.send("MKCOL", "/folder/", null).statusCode());
  }

  @AfterAll
  static void stop() throws Exception {
    TestServers.stop(server);
  }

  /** A raw exchange: status line and headers parsed, the body as the bytes that came. */
  record Raw(int status, Map<String, String> headers, String body) {
    static Raw of(String text) {
      int split = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, split).split("\r\n");
      Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        h.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), h, text.substring(split + 4));
    }
  }

  static Raw get(String method, String path, String... headers) throws Exception {
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n");
    return Raw.of(http.raw(req.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "suffix: the last 5 bytes       | bytes=-5   | 206 | bytes 15-19/20 | fghij",
      "open-ended                     | bytes=15-  | 206 | bytes 15-19/20 | fghij",
      "first 4                        | bytes=0-3  | 206 | bytes 0-3/20   | 0123",
      "last-pos past the end clipped  | bytes=18-99| 206 | bytes 18-19/20 | ij",
  })
  void range_servesTheRightBytes(String name, String range, int status, String contentRange,
      String bytes) throws Exception {
    Raw r = get("GET", "/f.txt", "Range", range);
    assertEquals(status, r.status());
    assertEquals(contentRange, r.headers().get("Content-Range"));
    assertEquals(bytes, r.body());
    assertEquals(Integer.toString(bytes.length()), r.headers().get("Content-Length"));
    // A 206 carries the validators a 200 carries.
    assertEquals(etag, r.headers().get("ETag"));
    assertEquals(lastModified, r.headers().get("Last-Modified"));
    assertEquals("bytes", r.headers().get("Accept-Ranges"));
    assertEquals("text/plain", r.headers().get("Content-Type"));
  }

  @Test
  void range_unsatisfiable_416WithTheLength() throws Exception {
    Raw r = get("GET", "/f.txt", "Range", "bytes=50-60");
    assertEquals(416, r.status());
    assertEquals("bytes */20", r.headers().get("Content-Range"));
  }

  @Test
  void range_invalid_isIgnored_200() throws Exception {
    Raw r = get("GET", "/f.txt", "Range", "bytes=5-2");
    assertEquals(200, r.status());
    assertEquals(BODY, r.body());
  }

  @Test
  void range_multiple_multipartWithCrlfAndClosingBoundary() throws Exception {
    Raw r = get("GET", "/f.txt", "Range", "bytes=0-3,10-12");
    assertEquals(206, r.status());
    String type = r.headers().get("Content-Type");
    assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
    String b = type.substring(type.indexOf("boundary=") + 9);
    String expected = "\r\n--" + b + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-3/20"
        + "\r\n\r\n0123\r\n--" + b + "\r\nContent-Type: text/plain\r\nContent-Range: bytes "
        + "10-12/20\r\n\r\nabc\r\n--" + b + "--\r\n";
    assertEquals(expected, r.body());
    assertEquals(Integer.toString(expected.length()), r.headers().get("Content-Length"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "If-Match other tag: 412                 | If-Match            | '\"nope\"'   | 412",
      "If-Match star: 200                      | If-Match            | *            | 200",
      "If-None-Match star: 304                 | If-None-Match       | *            | 304",
      "If-Modified-Since far future: 304       | If-Modified-Since   | 'Fri, 01 Jan 2100 00:00:00 GMT' | 304",
      "If-Modified-Since long ago: 200         | If-Modified-Since   | 'Sat, 01 Jan 2000 00:00:00 GMT' | 200",
      "If-Modified-Since not a date: ignored   | If-Modified-Since   | yesterday    | 200",
      "If-Unmodified-Since long ago: 412       | If-Unmodified-Since | 'Sat, 01 Jan 2000 00:00:00 GMT' | 412",
      "If-Unmodified-Since far future: 200     | If-Unmodified-Since | 'Fri, 01 Jan 2100 00:00:00 GMT' | 200",
  })
  void conditionals(String name, String header, String value, int status) throws Exception {
    Raw r = get("GET", "/f.txt", header, value);
    assertEquals(status, r.status(), name);
    if (status == 304) {
      assertEquals("", r.body());
      assertEquals(etag, r.headers().get("ETag"));
    }
  }

  @Test
  void ifNoneMatch_currentTag_304_weakFormToo() throws Exception {
    assertEquals(304, get("GET", "/f.txt", "If-None-Match", etag).status());
    assertEquals(304, get("HEAD", "/f.txt", "If-None-Match", "W/" + etag).status());
    assertEquals(200, get("GET", "/f.txt", "If-None-Match", "\"other\"").status());
  }

  @Test
  void ifRange_appliesTheRangeOnlyWhenTheValidatorMatches() throws Exception {
    assertEquals(206, get("GET", "/f.txt", "Range", "bytes=0-1", "If-Range", etag).status());
    assertEquals(206, get("GET", "/f.txt", "Range", "bytes=0-1", "If-Range", lastModified)
        .status());
    Raw stale = get("GET", "/f.txt", "Range", "bytes=0-1", "If-Range", "\"old\"");
    assertEquals(200, stale.status());
    assertEquals(BODY, stale.body());
  }

  @Test
  void head_sendsTheHeadersOfGet_withoutBody() throws Exception {
    Raw r = get("HEAD", "/f.txt");
    assertEquals(200, r.status());
    assertEquals("20", r.headers().get("Content-Length"));
    assertEquals(etag, r.headers().get("ETag"));
    assertEquals("", r.body());
  }

  @Test
  void collectionWithoutSlash_getAndHead_301ToTheSlashForm() throws Exception {
    for (String method : List.of("GET", "HEAD")) {
      Raw r = get(method, "/folder");
      assertEquals(301, r.status(), method);
      assertEquals("/folder/", r.headers().get("Location"), method);
    }
    assertEquals(200, get("GET", "/folder/").status());
    // WebDAV methods keep accepting both forms (litmus needs it).
    assertEquals(207, http.send("PROPFIND", "/folder", null, "Depth", "0").statusCode());
  }

  @Test
  void copyOfACollection_locationEndsInASlash() throws Exception {
    HttpResponse<String> r = http.send("COPY", "/folder/", null, "Destination",
        http.uri("/folder-copy/").toString());
    assertEquals(201, r.statusCode());
    assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/folder-copy/"),
        r.headers().toString());
  }

  @Test
  void identity_serverHeaderIsOurs_rootHasRealDatesAndTag() throws Exception {
    Raw r = get("GET", "/f.txt");
    String serverHeader = r.headers().getOrDefault("Server", "depthdav");
    assertFalse(serverHeader.contains("milton"), serverHeader);
    String root = http.send("PROPFIND", "/", null, "Depth", "0").body();
    assertFalse(root.contains("1970"), root);
    assertFalse(root.contains("\"root\""), root);
  }

  @Test
  void contentType_guessedFromTheLastSegmentOnly_hashInName() throws Exception {
    assertEquals(201, http.send("PUT", "/a%231.txt", "x").statusCode());
    assertEquals("text/plain", get("HEAD", "/a%231.txt").headers().get("Content-Type"));
  }

  @Test
  void optionsStar_answersForTheServer() throws Exception {
    Raw r = Raw.of(http.raw("OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    assertEquals(200, r.status());
    assertEquals("1, 2", r.headers().get("DAV"));
  }

  @Test
  void overwriteLowerCase_isRead() throws Exception {
    assertEquals(201, http.send("PUT", "/o1.txt", "1").statusCode());
    assertEquals(201, http.send("PUT", "/o2.txt", "2").statusCode());
    String dest = http.uri("/o2.txt").toString();
    assertEquals(412, http.send("COPY", "/o1.txt", null, "Destination", dest, "Overwrite", "f")
        .statusCode());
    assertEquals(204, http.send("COPY", "/o1.txt", null, "Destination", dest, "Overwrite", "t")
        .statusCode());
  }

  /** getlastmodified on the awkward days 1 to 9 of a month, from a fixed instant, not today. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "day 1, month end crossed | 2026-12-01T00:00:00Z | Tue, 01 Dec 2026 00:00:00 GMT",
      "day 5                    | 2027-03-05T08:49:37Z | Fri, 05 Mar 2027 08:49:37 GMT",
      "leap day                 | 2028-02-29T23:59:59Z | Tue, 29 Feb 2028 23:59:59 GMT",
      "year end                 | 2026-12-31T23:59:59Z | Thu, 31 Dec 2026 23:59:59 GMT",
  })
  void lastModified_isImfFixdate(String name, String instant, String expected) {
    Instant t = Instant.parse(instant);
    Node n = new Node(9, 1, "n", false, 0, null, null, "e", t, t);
    assertEquals(expected, LiveProps.lastModified(n));
    assertEquals(t, HttpDates.parse(expected));
  }

  /**
   * A file larger than the server's output buffers, read whole and in ranges that start and end
   * inside and across 8, 32 and 64 KiB boundaries: every byte served is the byte stored.
   */
  @Test
  void largeFile_wholeAndRangesAcrossBufferBoundaries_areTheStoredBytes() throws Exception {
    byte[] stored = new byte[300_001];
    new Random(20261201).nextBytes(stored);
    HttpClient client = HttpClient.newHttpClient();
    URI uri = server.uri().resolve("/large.bin");
    assertEquals(201, client.send(HttpRequest.newBuilder(uri)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(stored)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, whole.statusCode());
    assertTrue(Arrays.equals(stored, whole.body()), "the whole file");
    long[][] spans = {{8191, 8192}, {32767, 98305}, {65536, 300_000}, {1, 300_000},
        {299_999, 300_000}, {0, 0}, {131_071, 131_072}};
    for (long[] span : spans) {
      HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(uri)
          .header("Range", "bytes=" + span[0] + "-" + span[1]).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(206, part.statusCode(), span[0] + "-" + span[1]);
      assertTrue(Arrays.equals(Arrays.copyOfRange(stored, (int) span[0],
          (int) span[1] + 1), part.body()), "bytes " + span[0] + "-" + span[1]);
    }
  }

  /**
   * A blob that is shorter on disk than its row says (damaged outside the server): the GET must
   * not end as if complete; the connection closes before the promised Content-Length.
   */
  @Test
  void blobCutShortOnDisk_responseEndsShortOfItsLength() throws Exception {
    String body = "a".repeat(100_000);
    assertEquals(201, http.send("PUT", "/cut.txt", body).statusCode());
    JdbcStore store = TestServers.store(server);
    String hash = store.read(tx -> tx.resolve(DavPath.parse("/cut.txt"))
        .orElseThrow().blob());
    Path blob = store.blobs().localPath(hash).orElseThrow();
    try (FileChannel ch = FileChannel.open(blob,
        StandardOpenOption.WRITE)) {
      ch.truncate(40_000);
    }
    String raw = http.raw("GET /cut.txt HTTP/1.1\r\nHost: localhost\r\n"
        + "Connection: close\r\n\r\n");
    Raw r = Raw.of(raw);
    assertEquals("100000", r.headers().get("Content-Length"));
    assertTrue(r.body().length() < 100_000, "the body ended short: " + r.body().length());
  }
}
