package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The real server on an ephemeral loopback port, spoken to over HTTP. */
class ProtocolTest {
  private static final String XML = "application/xml";
  @TempDir static Path data;
  static DavServer server;
  static Http http;
  /** Each test works in its own collection. */
  String dir;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(data);
    http = new Http(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    TestServers.stop(server);
  }

  @BeforeEach
  void mkdir(TestInfo info) throws Exception {
    dir = "/" + info.getTestMethod().orElseThrow().getName() + "/";
    assertEquals(201, http.send("MKCOL", dir, null).statusCode());
  }

  private int status(String method, String path, String body, String... headers)
      throws Exception {
    return http.send(method, path, body, headers).statusCode();
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void options_anyPath_advertisesClass2AndAllow() throws Exception {
    for (String p : new String[] {"/", dir, dir + "unmapped"}) {
      HttpResponse<String> r = http.send("OPTIONS", p, null);
      assertEquals(200, r.statusCode(), p);
      assertEquals("1, 2", r.headers().firstValue("DAV").orElse(""));
      assertEquals("DAV", r.headers().firstValue("MS-Author-Via").orElse(""));
      assertTrue(r.headers().firstValue("Allow").orElse("").contains("PROPFIND"));
    }
  }

  @Test
  void unknownMethod_returns501() throws Exception {
    assertEquals(501, status("FROB", dir, null));
    assertEquals(501, status("PATCH", dir, "x"));
  }

  @Test
  void mkcol_conditions_returnRfcStatuses() throws Exception {
    assertEquals(201, status("MKCOL", dir + "a", null));
    assertEquals(405, status("MKCOL", dir + "a", null));
    assertEquals(409, status("MKCOL", dir + "missing/b", null));
    assertEquals(415, status("MKCOL", dir + "c", "<x/>", "Content-Type", XML));
    assertEquals(404, status("PROPFIND", dir + "c", null, "Depth", "0"));
  }

  @Test
  void put_createReplaceAndConditions() throws Exception {
    HttpResponse<String> created = http.send("PUT", dir + "f.txt", "one");
    assertEquals(201, created.statusCode());
    String etag1 = created.headers().firstValue("ETag").orElseThrow();
    assertTrue(etag1.startsWith("\""), "strong etag: " + etag1);
    HttpResponse<String> replaced = http.send("PUT", dir + "f.txt", "two");
    assertEquals(204, replaced.statusCode());
    String etag2 = replaced.headers().firstValue("ETag").orElseThrow();
    assertNotEquals(etag1, etag2);
    assertEquals(412, status("PUT", dir + "f.txt", "three", "If-Match", etag1));
    HttpResponse<String> third = http.send("PUT", dir + "f.txt", "three", "If-Match", etag2);
    assertEquals(204, third.statusCode());
    assertEquals(412, status("PUT", dir + "f.txt", "four", "If-None-Match", "*"));
    assertEquals(409, status("PUT", dir + "nope/f.txt", "x"));
    assertEquals(405, status("PUT", dir, "x"));
    HttpResponse<String> get = http.send("GET", dir + "f.txt", null);
    assertEquals("three", get.body());
    assertEquals(third.headers().firstValue("ETag").orElseThrow(),
        get.headers().firstValue("ETag").orElseThrow());
  }

  @Test
  void get_rangeAndCollectionListing() throws Exception {
    http.send("PUT", dir + "r.bin", "0123456789");
    HttpResponse<String> part = http.send("GET", dir + "r.bin", null, "Range", "bytes=2-4");
    assertEquals(206, part.statusCode());
    assertEquals("234", part.body());
    HttpResponse<String> html = http.send("GET", dir, null);
    assertEquals(200, html.statusCode());
    assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(html.body().contains("r.bin"));
  }

  @Test
  void propfind_depths_missingDepthIsInfinity() throws Exception {
    status("MKCOL", dir + "a", null);
    status("MKCOL", dir + "a/b", null);
    status("MKCOL", dir + "a/b/c", null);
    status("MKCOL", dir + "a/b/c/d", null);
    status("PUT", dir + "a/b/c/d/deep.txt", "x");
    HttpResponse<String> zero = http.send("PROPFIND", dir + "a", null, "Depth", "0");
    assertEquals(207, zero.statusCode());
    assertEquals(1, count(zero.body(), "<D:response>"));
    HttpResponse<String> one = http.send("PROPFIND", dir + "a", null, "Depth", "1");
    assertEquals(2, count(one.body(), "<D:response>"));
    HttpResponse<String> inf = http.send("PROPFIND", dir + "a", null, "Depth", "infinity");
    assertEquals(5, count(inf.body(), "<D:response>"));
    assertTrue(inf.body().contains("a/b/c/d/deep.txt</D:href>"), inf.body());
    HttpResponse<String> absent = http.send("PROPFIND", dir + "a", null);
    assertEquals(5, count(absent.body(), "<D:response>"));
    assertEquals(400, status("PROPFIND", dir + "a", null, "Depth", "2"));
  }

  @Test
  void propfind_badBodies_return400Or413() throws Exception {
    assertEquals(400, status("PROPFIND", dir, "<D:propfind xmlns:D=\"DAV:\"><D:prop>",
        "Depth", "0", "Content-Type", XML));
    String dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
        + "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
    assertEquals(400, status("PROPFIND", dir, dtd, "Depth", "0", "Content-Type", XML));
    String huge = "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>"
        + " ".repeat(2 * 1024 * 1024);
    assertEquals(413, status("PROPFIND", dir, huge, "Depth", "0", "Content-Type", XML));
    assertEquals(207, status("PROPFIND", dir, null, "Depth", "0"));
  }

  @Test
  void refusedBeforeTheBodyIsRead_clientStillGetsTheAnswer() throws Exception {
    // The server answers before reading these bodies; the client, still sending, must always
    // be able to read the answer (the connection is not reset under it).
    String big = "x".repeat(8 << 20);
    String huge = "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>" + " ".repeat(3 << 20);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = http.send("PUT", dir + "missing/f" + i, big);
      assertEquals(409, r.statusCode());
      assertEquals("close", r.headers().firstValue("Connection").orElse(""));
      assertEquals(413, status("PROPFIND", dir, huge, "Depth", "0", "Content-Type", XML));
    }
    assertEquals(404, status("GET", dir + "missing/f0", null));
  }

  @Test
  void propfind_unknownProperty_404InItsNamespace() throws Exception {
    String body = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getetag/><z:nope xmlns:z=\"urn:z\"/>"
        + "</D:prop></D:propfind>";
    HttpResponse<String> r = http.send("PROPFIND", dir, body, "Depth", "0");
    assertEquals(207, r.statusCode());
    Matcher m = Pattern.compile("<(\\w+):nope xmlns:\\1=\"urn:z\"/>").matcher(r.body());
    assertTrue(m.find(), r.body());
    assertTrue(r.body().contains("HTTP/1.1 404 Not Found"));
    assertTrue(r.body().contains("HTTP/1.1 200 OK"));
  }

  @Test
  void propfind_hrefsArePercentEncoded() throws Exception {
    assertEquals(201, status("PUT", dir + "a%20b%23c%25d%C3%BC", "x"));
    HttpResponse<String> r = http.send("PROPFIND", dir, null, "Depth", "1");
    assertTrue(r.body().contains(dir + "a%20b%23c%25d%C3%BC</D:href>"), r.body());
  }

  @Test
  void proppatch_protectedProperty_nothingApplied() throws Exception {
    status("PUT", dir + "p", "x");
    String patch = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:z=\"urn:z\"><D:set><D:prop>"
        + "<z:a>1</z:a></D:prop></D:set><D:set><D:prop><D:getetag>x</D:getetag></D:prop>"
        + "</D:set></D:propertyupdate>";
    HttpResponse<String> r = http.send("PROPPATCH", dir + "p", patch, "Content-Type", XML);
    assertEquals(207, r.statusCode());
    assertTrue(r.body().contains("424 Failed Dependency"), r.body());
    assertTrue(r.body().contains("403 Forbidden"), r.body());
    assertTrue(r.body().contains("cannot-modify-protected-property"), r.body());
    String find = "<D:propfind xmlns:D=\"DAV:\"><D:prop><z:a xmlns:z=\"urn:z\"/></D:prop>"
        + "</D:propfind>";
    assertTrue(http.send("PROPFIND", dir + "p", find, "Depth", "0").body()
        .contains("404 Not Found"));
  }

  @Test
  void proppatch_setThenRemove_inDocumentOrder() throws Exception {
    status("PUT", dir + "p", "x");
    String patch = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:z=\"urn:z\"><D:set><D:prop>"
        + "<z:a xml:lang=\"en\">v<z:i k=\"1\">in</z:i></z:a></D:prop></D:set><D:remove><D:prop>"
        + "<z:b/></D:prop></D:remove></D:propertyupdate>";
    assertEquals(207, status("PROPPATCH", dir + "p", patch, "Content-Type", XML));
    String find = "<D:propfind xmlns:D=\"DAV:\"><D:prop><z:a xmlns:z=\"urn:z\"/></D:prop>"
        + "</D:propfind>";
    String body = http.send("PROPFIND", dir + "p", find, "Depth", "0").body();
    assertTrue(body.contains("xml:lang=\"en\""), body);
    assertTrue(body.contains(">v<"), body);
    assertTrue(body.contains("k=\"1\">in<"), body);
  }

  @Test
  void copyMove_statusesAndProperties() throws Exception {
    status("MKCOL", dir + "src", null);
    status("PUT", dir + "src/f", "data");
    String patch = "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><q:p xmlns:q=\"urn:q\">"
        + "kept</q:p></D:prop></D:set></D:propertyupdate>";
    status("PROPPATCH", dir + "src/f", patch, "Content-Type", XML);
    String dest = http.uri(dir + "dst").toString();
    assertEquals(201, status("COPY", dir + "src", null, "Destination", dest));
    assertEquals(412, status("COPY", dir + "src", null, "Destination", dest, "Overwrite", "F"));
    assertEquals(204, status("COPY", dir + "src", null, "Destination", dest));
    assertEquals("data", http.send("GET", dir + "dst/f", null).body());
    String find = "<D:propfind xmlns:D=\"DAV:\"><D:prop><q:p xmlns:q=\"urn:q\"/></D:prop>"
        + "</D:propfind>";
    assertTrue(http.send("PROPFIND", dir + "dst/f", find, "Depth", "0").body().contains("kept"));
    assertEquals(409, status("COPY", dir + "src", null, "Destination",
        http.uri(dir + "no/such").toString()));
    assertEquals(403, status("COPY", dir + "src", null, "Destination",
        http.uri(dir + "src").toString()));
    assertEquals(403, status("MOVE", dir + "src", null, "Destination",
        http.uri(dir + "src/inner").toString()));
    assertEquals(502, status("COPY", dir + "src", null, "Destination",
        "http://elsewhere.example:81" + dir + "x"));
    assertEquals(201, status("COPY", dir + "src", null, "Destination", dir + "shallow",
        "Depth", "0"));
    assertEquals(404, status("GET", dir + "shallow/f", null));
    assertEquals(201, status("MOVE", dir + "dst", null, "Destination", dir + "moved"));
    assertEquals(404, status("PROPFIND", dir + "dst", null, "Depth", "0"));
    assertEquals("data", http.send("GET", dir + "moved/f", null).body());
    assertTrue(http.send("PROPFIND", dir + "moved/f", find, "Depth", "0").body()
        .contains("kept"));
    assertEquals(400, status("MOVE", dir + "moved", null, "Destination", dir + "m2",
        "Depth", "0"));
  }

  @Test
  void delete_collectionAndRefusals() throws Exception {
    status("MKCOL", dir + "d", null);
    status("PUT", dir + "d/f", "x");
    assertEquals(400, status("DELETE", dir + "d", null, "Depth", "0"));
    assertEquals(204, status("DELETE", dir + "d", null));
    assertEquals(404, status("GET", dir + "d/f", null));
    assertEquals(404, status("DELETE", dir + "d", null));
    assertEquals(403, status("DELETE", "/", null));
    assertEquals(201, status("MKCOL", dir + "d", null));
  }

  @Test
  void badPaths_return400AndWriteNothing() throws Exception {
    String nul = http.raw("PUT " + dir + "a%00b HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n"
        + "Connection: close\r\n\r\nx");
    assertTrue(nul.startsWith("HTTP/1.1 400"), nul);
    String dots = http.raw("PUT " + dir + "%2E%2E/escape HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Length: 1\r\nConnection: close\r\n\r\nx");
    assertTrue(dots.startsWith("HTTP/1.1 400"), dots);
    assertEquals(404, status("GET", "/escape", null));
    HttpResponse<String> list = http.send("PROPFIND", dir, null, "Depth", "1");
    assertEquals(1, count(list.body(), "<D:response>"), list.body());
  }

  @Test
  void server_keepsServingAfterBadInput() throws Exception {
    for (int i = 0; i < 20; i++) {
      status("PROPFIND", dir, "<<<", "Depth", "0");
    }
    assertEquals(207, status("PROPFIND", dir, null, "Depth", "0"));
    assertFalse(http.send("OPTIONS", "/", null).headers().firstValue("DAV").isEmpty());
  }
}
