package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class 2 over HTTP against the real server, restarts included. */
class LockingTest {
  static final String OWNER = "<D:owner><D:href>mailto:ann@example.com</D:href> Ann "
      + "<x:note xmlns:x=\"urn:x\" x:k=\"v\">hi</x:note></D:owner>";
  static final String EXCLUSIVE = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\">"
      + "<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>" + OWNER
      + "</D:lockinfo>";
  static final String SHARED = EXCLUSIVE.replace("<D:exclusive/>", "<D:shared/>");
  @TempDir Path data;
  DavServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(data);
    http = new Http(server.uri());
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  private String lock(String path, String body, String depth, int expected) throws Exception {
    HttpResponse<String> r = http.send("LOCK", path, body, "Depth", depth, "Timeout",
        "Second-600");
    assertEquals(expected, r.statusCode(), r.body());
    return r.headers().firstValue("Lock-Token").map(t -> t.substring(1, t.length() - 1))
        .orElse(null);
  }

  @Test
  void lockedCollection_writesNeedTheToken() throws Exception {
    http.send("MKCOL", "/dir", null);
    String token = lock("/dir", EXCLUSIVE, "infinity", 200);
    HttpResponse<String> denied = http.send("PUT", "/dir/new.txt", "x");
    assertEquals(423, denied.statusCode());
    assertTrue(denied.body().contains("<D:lock-token-submitted><D:href>/dir</D:href>"),
        denied.body());
    assertEquals(423, http.send("DELETE", "/dir", null).statusCode());
    assertEquals(423, http.send("MOVE", "/dir", null, "Destination", "/moved").statusCode());
    assertEquals(201, http.send("PUT", "/dir/new.txt", "x", "If", "(<" + token + ">)")
        .statusCode());
    // A member added inside a depth-infinity lock falls under it.
    assertEquals(423, http.send("PROPPATCH", "/dir/new.txt", "<D:propertyupdate "
        + "xmlns:D=\"DAV:\"><D:set><D:prop><z xmlns=\"urn:z\">1</z></D:prop></D:set>"
        + "</D:propertyupdate>").statusCode());
    assertEquals(201, http.send("COPY", "/dir", null, "Destination", "/copy").statusCode());
    assertEquals(204, http.send("PUT", "/copy/new.txt", "unlocked copy").statusCode());
  }

  @Test
  void lockUnmapped_createsEmptyResource201() throws Exception {
    String token = lock("/fresh.txt", EXCLUSIVE, "0", 201);
    assertEquals("", http.send("GET", "/fresh.txt", null).body());
    assertEquals(409, http.send("LOCK", "/missing/child", EXCLUSIVE).statusCode());
    assertEquals(204, http.send("PUT", "/fresh.txt", "content", "If", "(<" + token + ">)")
        .statusCode());
  }

  @Test
  void conflicts_423() throws Exception {
    http.send("MKCOL", "/p", null);
    http.send("PUT", "/p/c", "x");
    lock("/p/c", EXCLUSIVE, "0", 200);
    HttpResponse<String> r = http.send("LOCK", "/p", EXCLUSIVE, "Depth", "infinity");
    assertEquals(423, r.statusCode());
    assertTrue(r.body().contains("no-conflicting-lock"), r.body());
    lock("/p", SHARED, "0", 200);
    lock("/p", SHARED, "0", 200);
    assertEquals(423, http.send("LOCK", "/p", EXCLUSIVE, "Depth", "0").statusCode());
  }

  @Test
  void refreshThroughMember_andDiscoveryReturnsOwnerExactly() throws Exception {
    http.send("MKCOL", "/r", null);
    http.send("PUT", "/r/x", "x");
    String token = lock("/r", EXCLUSIVE, "infinity", 200);
    HttpResponse<String> refreshed = http.send("LOCK", "/r/x", null, "If", "(<" + token + ">)",
        "Timeout", "Second-900");
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    assertTrue(refreshed.body().contains("<D:timeout>Second-900</D:timeout>"), refreshed.body());
    assertTrue(refreshed.body().contains("<D:lockroot><D:href>/r</D:href>"), refreshed.body());
    assertEquals(412, http.send("LOCK", "/r/x", null, "If", "(<urn:uuid:nope>)").statusCode());
    String find = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop>"
        + "</D:propfind>";
    String body = http.send("PROPFIND", "/r/x", find, "Depth", "0").body();
    assertTrue(body.contains("<D:owner xmlns:D=\"DAV:\"><D:href>mailto:ann@example.com</D:href> "
        + "Ann <x:note xmlns:x=\"urn:x\" x:k=\"v\">hi</x:note></D:owner>"), body);
    assertTrue(body.contains(token), body);
  }

  @Test
  void unlock_rules() throws Exception {
    http.send("PUT", "/u", "x");
    http.send("PUT", "/v", "x");
    String token = lock("/u", EXCLUSIVE, "0", 200);
    assertEquals(400, http.send("UNLOCK", "/u", null).statusCode());
    HttpResponse<String> wrong = http.send("UNLOCK", "/v", null, "Lock-Token", "<" + token + ">");
    assertEquals(409, wrong.statusCode());
    assertTrue(wrong.body().contains("lock-token-matches-request-uri"), wrong.body());
    assertEquals(204, http.send("UNLOCK", "/u", null, "Lock-Token", "<" + token + ">")
        .statusCode());
    assertEquals(204, http.send("PUT", "/u", "free").statusCode());
  }

  @Test
  void ifHeader_falseIs412_malformedIs400() throws Exception {
    http.send("PUT", "/c", "x");
    assertEquals(412, http.send("PUT", "/c", "y", "If", "([\"not-the-etag\"])").statusCode());
    assertEquals(400, http.send("PUT", "/c", "y", "If", "(<unterminated").statusCode());
    String etag = http.send("GET", "/c", null).headers().firstValue("ETag").orElseThrow();
    assertEquals(204, http.send("PUT", "/c", "y", "If", "([" + etag + "])").statusCode());
  }

  @Test
  void delete_lockedMember_207AndOnlyItAndItsAncestorsStay() throws Exception {
    for (String c : new String[] {"/t", "/t/a", "/t/a/b", "/t/z"}) {
      http.send("MKCOL", c, null);
    }
    for (String f : new String[] {"/t/a/b/locked", "/t/a/b/free", "/t/a/free", "/t/z/free"}) {
      http.send("PUT", f, "x");
    }
    lock("/t/a/b/locked", EXCLUSIVE, "0", 200);
    HttpResponse<String> r = http.send("DELETE", "/t", null);
    assertEquals(207, r.statusCode(), r.body());
    assertTrue(r.body().contains("<D:href>/t/a/b/locked</D:href><D:status>HTTP/1.1 423 Locked"),
        r.body());
    assertEquals(200, http.send("GET", "/t/a/b/locked", null).statusCode());
    for (String gone : new String[] {"/t/a/b/free", "/t/a/free", "/t/z/free", "/t/z"}) {
      assertEquals(404, http.send("GET", gone, null).statusCode(), gone);
    }
    assertEquals(207, http.send("PROPFIND", "/t/a/b", null, "Depth", "0").statusCode());
  }

  @Test
  void deleteAndMove_takeTheirLocksAway() throws Exception {
    http.send("MKCOL", "/d", null);
    http.send("PUT", "/d/f", "x");
    String token = lock("/d/f", EXCLUSIVE, "0", 200);
    assertEquals(423, http.send("MOVE", "/d", null, "Destination", "/e0").statusCode());
    assertEquals(201, http.send("MOVE", "/d", null, "Destination", "/e", "If",
        "(<" + token + ">)").statusCode());
    assertEquals(204, http.send("PUT", "/e/f", "no lock came along").statusCode());
    assertFalse(http.send("GET", "/.depthdav/locks", null).body().contains(token));
  }

  @Test
  void locks_surviveRestart_andAdminCanBreakThem() throws Exception {
    http.send("PUT", "/kept", "x");
    String token = lock("/kept", EXCLUSIVE, "0", 200);
    TestServers.stop(server);
    server = TestServers.start(data);
    http = new Http(server.uri());
    assertEquals(423, http.send("PUT", "/kept", "y").statusCode());
    HttpResponse<String> list = http.send("GET", "/.depthdav/locks", null);
    assertEquals(200, list.statusCode());
    assertTrue(list.body().contains("\"token\": \"" + token + "\""), list.body());
    assertEquals(404, http.send("MKCOL", "/.depthdav/x", null).statusCode());
    assertEquals(403, http.send("COPY", "/kept", null, "Destination", "/.depthdav/y")
        .statusCode());
    String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
    assertEquals(200, http.send("DELETE", "/.depthdav/locks/" + encoded, null).statusCode());
    assertEquals(204, http.send("PUT", "/kept", "y").statusCode());
  }
}
