package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input no store can hold gets a 4xx that says why, checked before anything is stored, and the
 * server goes on serving: long names and header values, deep XML, bodies cut short.
 */
class LimitsTest {
  @TempDir static Path data;
  static DavServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(data);
    http = new Http(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    TestServers.stop(server);
  }

  private static long blobs() throws Exception {
    Path dir = data.resolve("blobs");
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dir.resolve("tmp")))
          .count();
    }
  }

  private static void assertStillServing() throws Exception {
    assertEquals(207, http.send("PROPFIND", "/", null, "Depth", "0").statusCode());
  }

  @Test
  void nameLongerThan4096_400_nothingStored() throws Exception {
    long before = blobs();
    HttpResponse<String> r = http.send("PUT", "/" + "n".repeat(4097), "body");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("longer than 4096"), r.body());
    assertEquals(before, blobs());
    assertEquals(201, http.send("PUT", "/" + "n".repeat(4096), "body").statusCode());
  }

  @Test
  void contentTypeLongerThan1024_400_nothingStored() throws Exception {
    long before = blobs();
    HttpResponse<String> r = http.send("PUT", "/typed", "body", "Content-Type",
        "text/plain; x=" + "y".repeat(1024));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("Content-Type longer than 1024"), r.body());
    assertEquals(before, blobs());
    assertEquals(404, http.send("GET", "/typed", null).statusCode());
  }

  @Test
  void propertyNameLongerThan4096_400() throws Exception {
    assertEquals(201, http.send("PUT", "/p", "x").statusCode());
    String body = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
        + "<L:" + "q".repeat(4097) + " xmlns:L=\"urn:l\">v</L:" + "q".repeat(4097)
        + "></D:prop></D:set></D:propertyupdate>";
    HttpResponse<String> r = http.send("PROPPATCH", "/p", body);
    assertEquals(400, r.statusCode(), r.body());
    assertStillServing();
  }

  @Test
  void propertyValueNested5000Levels_400_notAStackOverflow() throws Exception {
    assertEquals(201, http.send("PUT", "/deep", "x").statusCode());
    String nested = "<a>".repeat(5000) + "v" + "</a>".repeat(5000);
    String body = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
        + "<L:p xmlns:L=\"urn:l\">" + nested + "</L:p></D:prop></D:set></D:propertyupdate>";
    HttpResponse<String> r = http.send("PROPPATCH", "/deep", body);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("nested deeper than 128"), r.body());
    assertStillServing();
  }

  @Test
  void propfindBodyNested100000Levels_400() throws Exception {
    String body = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>"
        + "<x>".repeat(100_000) + "</x>".repeat(100_000) + "</D:prop></D:propfind>";
    HttpResponse<String> r = http.send("PROPFIND", "/", body, "Depth", "0");
    assertEquals(400, r.statusCode(), r.body());
    assertStillServing();
  }

  @Test
  void putBodyShorterThanContentLength_400_nothingStored() throws Exception {
    long before = blobs();
    try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("PUT /short HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.shutdownOutput(); // the client half-closes: 90 bytes never come
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), answer);
    }
    assertEquals(404, http.send("GET", "/short", null).statusCode());
    assertEquals(before, blobs());
    assertStillServing();
  }
}
