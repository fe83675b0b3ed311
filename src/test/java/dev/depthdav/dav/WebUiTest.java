package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser UI's serving (its files under /.depthdav/ui/, its page for browsers, the listing
 * for everyone else) and the cross-site refusal that protects a browser's credentials.
 */
class WebUiTest {
  @TempDir Path data;
  DavServer server;
  Http http;
  String own;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(data);
    http = new Http(server.uri());
    own = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void put_crossOrigin_is403AndStoresNothing() throws Exception {
    HttpResponse<String> r = http.send("PUT", "/evil.txt", "x", "Origin", "http://evil.example");
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("http://evil.example"), r.body());
    assertEquals(404, http.send("GET", "/evil.txt", null).statusCode());
  }

  @Test
  void put_sameOriginOrNone_isStored() throws Exception {
    assertEquals(201, http.send("PUT", "/same.txt", "x", "Origin", own).statusCode());
    assertEquals(201, http.send("PUT", "/none.txt", "x").statusCode());
    // RFC 6454 §4: the default port may be written or not; here it is not the server's.
    assertEquals(403, http.send("PUT", "/port.txt", "x", "Origin", "http://127.0.0.1")
        .statusCode());
    assertEquals(200, http.send("GET", "/same.txt", null).statusCode());
    assertEquals(200, http.send("GET", "/none.txt", null).statusCode());
  }

  @Test
  void unsafeMethods_crossSite_are403AndChangeNothing() throws Exception {
    assertEquals(201, http.send("MKCOL", "/keep/", null).statusCode());
    String[][] cases = {
      {"DELETE", "/keep/", "Origin", "https://127.0.0.1:" + server.port()}, // another scheme
      {"MKCOL", "/new/", "Origin", "null"}, // a sandboxed or file: page
      {"MOVE", "/keep/", "Sec-Fetch-Site", "cross-site"},
      {"PROPPATCH", "/keep/", "Origin", "http://localhost:" + server.port()}, // another host
      {"LOCK", "/keep/", "Origin", "http://evil.example"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = http.send(c[0], c[1], null, c[2], c[3], "Destination",
          own + "/moved/");
      assertEquals(403, r.statusCode(), c[0] + " " + c[3] + ": " + r.body());
    }
    assertEquals(207, http.send("PROPFIND", "/keep/", null, "Depth", "0").statusCode());
    assertEquals(404, http.send("PROPFIND", "/new/", null, "Depth", "0").statusCode());
    assertEquals(404, http.send("PROPFIND", "/moved/", null, "Depth", "0").statusCode());
  }

  @Test
  void safeMethods_crossOrigin_areAnswered() throws Exception {
    assertEquals(207, http.send("PROPFIND", "/", null, "Depth", "0", "Origin",
        "http://evil.example", "Sec-Fetch-Site", "cross-site").statusCode());
    assertEquals(200, http.send("GET", "/", null, "Origin", "http://evil.example").statusCode());
  }

  @Test
  void normalize_writesTheDefaultPort() {
    assertEquals("http://h.example:80", OriginCheck.normalize("http://H.example"));
    assertEquals("https://h.example:443", OriginCheck.normalize("https://h.example:443"));
    assertEquals("http://[::1]:8080", OriginCheck.normalize("http://[::1]:8080"));
    assertEquals("null", OriginCheck.normalize("null"));
    assertEquals("http://h/x", OriginCheck.normalize("http://h/x"));
  }

  @Test
  void uiFile_hasTypeCspNosniffAndRevalidates() throws Exception {
    HttpResponse<String> r = http.send("GET", "/.depthdav/ui/app.js", null);
    assertEquals(200, r.statusCode());
    assertEquals("text/javascript; charset=utf-8", r.headers().firstValue("Content-Type")
        .orElse(""));
    assertSecure(r);
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, http.send("GET", "/.depthdav/ui/app.js", null, "If-None-Match", etag)
        .statusCode());
    HttpResponse<String> head = http.send("HEAD", "/.depthdav/ui/app.css", null);
    assertEquals(200, head.statusCode());
    assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
  }

  @Test
  void uiFile_missingOrChanging_isRefused() throws Exception {
    assertEquals(404, http.send("GET", "/.depthdav/ui/nothing.js", null).statusCode());
    assertEquals(404, http.send("GET", "/.depthdav/ui/package.json", null).statusCode());
    assertEquals(404, http.send("GET", "/.depthdav/ui/a/app.js", null).statusCode());
    HttpResponse<String> put = http.send("PUT", "/.depthdav/ui/app.js", "x");
    assertEquals(405, put.statusCode());
    assertEquals("GET, HEAD", put.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void collection_htmlAccept_getsThePage_othersTheListing() throws Exception {
    assertEquals(201, http.send("MKCOL", "/a%20%3Cb%3E/", null).statusCode());
    HttpResponse<String> page = http.send("GET", "/a%20%3Cb%3E/", null, "Accept",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("/.depthdav/ui/app.js"), page.body());
    assertSecure(page);
    assertEquals("Accept", page.headers().firstValue("Vary").orElse(""));

    HttpResponse<String> listing = http.send("GET", "/a%20%3Cb%3E/", null);
    assertEquals(200, listing.statusCode());
    assertTrue(listing.body().contains("Index of /a &lt;b&gt;"), listing.body());
    assertFalse(listing.body().contains("/.depthdav/ui/"));
    assertNull(listing.headers().firstValue("Content-Security-Policy").orElse(null));
    assertTrue(listing.headers().firstValue("ETag").isPresent());
    // A file is its content whatever the Accept.
    assertEquals(201, http.send("PUT", "/f.html", "<p>hi</p>").statusCode());
    assertEquals("<p>hi</p>", http.send("GET", "/f.html", null, "Accept", "text/html").body());
  }

  private static void assertSecure(HttpResponse<String> r) {
    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
        && !csp.contains("unsafe-inline"), csp);
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
  }
}
