package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import dev.depthdav.server.DavServer;
import dev.depthdav.server.Security;
import dev.depthdav.server.TestServers;
import dev.depthdav.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security rules seen from a client: each test sends the request that must be refused and
 * checks both the answer and that nothing changed.
 */
class SecurityTest {
  private static final Security DEFAULT =
      new Security(Authenticator.Anonymous.NONE, false, null, List.of(), 0, false);
  private static final String EXCLUSIVE = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\">"
      + "<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
      + "</D:lockinfo>";
  private static final String HASH = Passwords.hash("pw".toCharArray());

  @TempDir Path data;
  DavServer server;
  Http http;

  void start(Security security, User... users) throws Exception {
    server = TestServers.start(data, c -> c.withSecurity(security), s -> s);
    for (User u : users) {
      TestServers.users(server).add(u);
    }
    http = new Http(server.uri());
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  static User user(String name, String root, boolean readOnly, boolean admin) {
    return new User(name, HASH, root, readOnly, User.NO_QUOTA, admin);
  }

  static String[] as(String name, String... more) {
    String[] out = new String[more.length + 2];
    out[0] = "Authorization";
    out[1] = "Basic " + Base64.getEncoder().encodeToString((name + ":pw")
        .getBytes(StandardCharsets.UTF_8));
    System.arraycopy(more, 0, out, 2, more.length);
    return out;
  }

  @Test
  void noCredentials_withUsers_401WithABasicChallenge_nothingWritten() throws Exception {
    start(DEFAULT, user("alice", "/", false, false));
    HttpResponse<String> r = http.send("PUT", "/f", "x");
    assertEquals(401, r.statusCode(), r.body());
    assertEquals("Basic realm=\"depthdav\", charset=\"UTF-8\"",
        r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(401, http.send("PROPFIND", "/", null, "Depth", "1").statusCode());
    assertEquals(401, http.send("GET", "/.depthdav/locks", null).statusCode());
    assertEquals(404, http.send("GET", "/f", null, as("alice")).statusCode());
  }

  @Test
  void wrongPassword_401_rightPassword_served() throws Exception {
    start(DEFAULT, user("alice", "/", false, false));
    String wrong = "Basic " + Base64.getEncoder().encodeToString("alice:nope".getBytes());
    HttpResponse<String> r = http.send("PUT", "/f", "x", "Authorization", wrong);
    assertEquals(401, r.statusCode());
    assertFalse(r.body().contains("nope"), "the password is never echoed");
    assertEquals(201, http.send("PUT", "/f", "x", as("alice")).statusCode());
    assertEquals(200, http.send("GET", "/f", null, as("alice")).statusCode());
    assertEquals(401, http.send("GET", "/f", null, as("mallory")).statusCode(), "unknown user");
  }

  @Test
  void failedLogins_pastFive_429WithRetryAfter_evenForTheRightPassword() throws Exception {
    start(DEFAULT, user("alice", "/", false, false));
    String wrong = "Basic " + Base64.getEncoder().encodeToString("alice:nope".getBytes());
    for (int i = 0; i < 5; i++) {
      assertEquals(401, http.send("GET", "/", null, "Authorization", wrong).statusCode(), "#" + i);
    }
    HttpResponse<String> r = http.send("GET", "/", null, as("alice"));
    assertEquals(429, r.statusCode(), r.body());
    assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0")) >= 1);
  }

  /**
   * Refused writes whose small bodies arrive after their headers, one after the other on one
   * connection, are each answered, and the connection serves the next request: the body is read
   * and dropped. Without that, the server closed the connection after the DELETE's refusal
   * (Broken pipe writing the next request here), and a client reusing the connection at that
   * moment got no answer (CI at c82b1f6: "HTTP/1.1 header parser received no bytes" in
   * readOnlyUser_everyChangingMethod_403_nothingChanged).
   */
  @Test
  void refusedWrite_bodyArrivingAfterTheHeaders_answered_connectionKept() throws Exception {
    start(DEFAULT, user("admin", "/", false, true), user("reader", "/", true, false));
    java.net.URI u = http.uri("/late");
    String host = "Host: " + u.getHost() + ":" + u.getPort() + "\r\nAuthorization: "
        + as("reader")[1] + "\r\n";
    try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      java.io.OutputStream out = s.getOutputStream();
      java.io.InputStream in = s.getInputStream();
      for (String method : List.of("PUT", "DELETE", "MKCOL", "PROPPATCH", "COPY", "MOVE", "LOCK",
          "UNLOCK")) {
        byte[] body = (method.equals("LOCK") ? EXCLUSIVE : "y1234")
            .getBytes(StandardCharsets.UTF_8);
        RawHttp.sendLate(out, method + " /late HTTP/1.1\r\n" + host + "Destination: " + u
            + "2\r\nLock-Token: <urn:uuid:x>\r\nContent-Length: " + body.length + "\r\n",
            body, 100);
        String r = RawHttp.response(in);
        assertTrue(r.startsWith("HTTP/1.1 403 "), method + ": " + r);
        assertFalse(r.toLowerCase(java.util.Locale.ROOT).contains("connection: close"),
            method + ": " + r);
      }
      out.write(("GET /late HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String second = RawHttp.response(in);
      assertTrue(second.startsWith("HTTP/1.1 404 "), "the next request on that connection: "
          + second);
    }
    assertEquals(404, http.send("GET", "/late", null, as("admin")).statusCode());
  }

  @Test
  void readOnlyUser_everyChangingMethod_403_nothingChanged() throws Exception {
    start(DEFAULT, user("admin", "/", false, true), user("reader", "/", true, false));
    assertEquals(201, http.send("MKCOL", "/c/", null, as("admin")).statusCode());
    assertEquals(201, http.send("PUT", "/c/f", "x", as("admin")).statusCode());
    String dest = http.uri("/c/g").toString();
    List<String[]> refused = List.of(
        new String[] {"PUT", "/c/f"}, new String[] {"PUT", "/c/new"},
        new String[] {"DELETE", "/c/f"}, new String[] {"MKCOL", "/d/"},
        new String[] {"PROPPATCH", "/c/f"}, new String[] {"COPY", "/c/f"},
        new String[] {"MOVE", "/c/f"}, new String[] {"LOCK", "/c/f"},
        new String[] {"UNLOCK", "/c/f"});
    for (String[] m : refused) {
      HttpResponse<String> r = http.send(m[0], m[1], m[0].equals("LOCK") ? EXCLUSIVE : "y",
          as("reader", "Destination", dest, "Lock-Token", "<urn:uuid:x>"));
      assertEquals(403, r.statusCode(), m[0] + " " + r.body());
      assertTrue(r.body().contains("read-only"), r.body());
    }
    assertEquals("x", http.send("GET", "/c/f", null, as("reader")).body());
    assertEquals(404, http.send("GET", "/c/g", null, as("admin")).statusCode());
    assertEquals(404, http.send("GET", "/c/new", null, as("admin")).statusCode());
    assertEquals(207, http.send("PROPFIND", "/c/", null, as("reader", "Depth", "1"))
        .statusCode());
  }

  @Test
  void userRoot_isTheirSlash_hrefsRelative_noWayOut() throws Exception {
    start(DEFAULT, user("admin", "/", false, true), user("alice", "/home/alice", false, false));
    assertEquals(201, http.send("MKCOL", "/home/", null, as("admin")).statusCode());
    assertEquals(201, http.send("MKCOL", "/home/alice/", null, as("admin")).statusCode());
    assertEquals(201, http.send("PUT", "/secret", "admin only", as("admin")).statusCode());

    assertEquals(201, http.send("PUT", "/a.txt", "mine", as("alice")).statusCode());
    assertEquals("mine", http.send("GET", "/home/alice/a.txt", null, as("admin")).body());
    String listing = http.send("PROPFIND", "/", null, as("alice", "Depth", "1")).body();
    assertTrue(listing.contains("<D:href>/a.txt</D:href>"), listing);
    assertFalse(listing.contains("home"), listing);
    assertEquals(404, http.send("GET", "/secret", null, as("alice")).statusCode());
    // Messages name paths as the user sees them, never its root folder.
    HttpResponse<String> missing = http.send("PUT", "/nope/f", "x", as("alice"));
    assertEquals(409, missing.statusCode());
    assertTrue(missing.body().contains("/nope does not exist"), missing.body());
    HttpResponse<String> rootDelete = http.send("DELETE", "/", null, as("alice"));
    assertFalse(rootDelete.body().contains("home"), rootDelete.body());
    assertFalse(http.send("GET", "/gone", null, as("alice")).body().contains("home"));

    // Dot segments and their encodings are refused before any lookup, never resolved upward.
    for (String path : List.of("/../secret", "/%2e%2e/secret", "/a/%2E%2E/%2E%2E/secret")) {
      String raw = http.raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: " + as("alice")[1] + "\r\nConnection: close\r\n\r\n");
      assertFalse(raw.contains("admin only"), path + ": " + raw);
      assertTrue(raw.startsWith("HTTP/1.1 400"), path + ": " + raw);
    }
    // A Destination names a place in the user's own tree.
    assertEquals(201, http.send("COPY", "/a.txt", null, as("alice", "Destination",
        http.uri("/secret").toString())).statusCode());
    assertEquals("admin only", http.send("GET", "/secret", null, as("admin")).body());
    assertEquals("mine", http.send("GET", "/home/alice/secret", null, as("admin")).body());

    // Lock roots and tagged If URLs are relative to the root as well.
    HttpResponse<String> lock = http.send("LOCK", "/a.txt", EXCLUSIVE, as("alice"));
    assertEquals(200, lock.statusCode(), lock.body());
    assertTrue(lock.body().contains("<D:lockroot><D:href>/a.txt</D:href></D:lockroot>"),
        lock.body());
    String token = lock.headers().firstValue("Lock-Token").orElseThrow();
    assertEquals(204, http.send("PUT", "/a.txt", "again", as("alice", "If",
        "<" + http.uri("/a.txt") + "> (" + token + ")")).statusCode());
    String locks = http.send("GET", "/.depthdav/locks", null, as("alice")).body();
    assertTrue(locks.contains("\"root\": \"/a.txt\""), locks);
  }

  @Test
  void lockToken_ofAnotherUser_countsForNothing_onlyAdminsBreakIt() throws Exception {
    start(DEFAULT, user("alice", "/", false, false), user("bob", "/", false, false),
        user("admin", "/", false, true));
    assertEquals(201, http.send("PUT", "/f", "alice's", as("alice")).statusCode());
    HttpResponse<String> lock = http.send("LOCK", "/f", EXCLUSIVE, as("alice"));
    String token = lock.headers().firstValue("Lock-Token").orElseThrow();
    String bare = token.substring(1, token.length() - 1);

    HttpResponse<String> put = http.send("PUT", "/f", "bob's", as("bob", "If", "(" + token + ")"));
    assertEquals(423, put.statusCode(), "RFC 4918 §6.4: a token is not a credential");
    assertEquals(403, http.send("UNLOCK", "/f", null, as("bob", "Lock-Token", token))
        .statusCode());
    assertEquals(403, http.send("DELETE", "/.depthdav/locks/" + bare, null, as("bob"))
        .statusCode());
    assertFalse(http.send("GET", "/.depthdav/locks", null, as("bob")).body().contains(bare));
    assertEquals("alice's", http.send("GET", "/f", null, as("bob")).body());

    assertTrue(http.send("GET", "/.depthdav/locks", null, as("alice")).body().contains(bare));
    assertEquals(204, http.send("PUT", "/f", "v2", as("alice", "If", "(" + token + ")"))
        .statusCode());
    assertTrue(http.send("GET", "/.depthdav/locks", null, as("admin")).body().contains(bare));
    assertEquals(200, http.send("DELETE", "/.depthdav/locks/" + bare, null, as("admin"))
        .statusCode());
    assertEquals(204, http.send("PUT", "/f", "bob's", as("bob")).statusCode());
  }

  @Test
  void operations_ofAnotherUser_notFound_idsAreRandom() throws Exception {
    start(DEFAULT, user("alice", "/", false, false), user("bob", "/", false, false),
        user("admin", "/", false, true));
    assertEquals(201, http.send("MKCOL", "/c/", null, as("alice")).statusCode());
    assertEquals(201, http.send("PUT", "/c/f", "x", as("alice")).statusCode());
    HttpResponse<String> started = http.send("COPY", "/c/", null, as("alice", "Destination",
        http.uri("/d/").toString(), "Prefer", "respond-async"));
    assertEquals(202, started.statusCode(), started.body());
    String location = started.headers().firstValue("Location").orElseThrow();
    Matcher m = Pattern.compile("/\\.depthdav/operations/([0-9a-f]{32})").matcher(location);
    assertTrue(m.matches(), location);
    String id = m.group(1);

    assertEquals(404, http.send("GET", location, null, as("bob")).statusCode());
    assertEquals(404, http.send("GET", location + "/result", null, as("bob")).statusCode());
    assertFalse(http.send("GET", "/.depthdav/operations", null, as("bob")).body().contains(id));
    assertTrue(http.send("GET", "/.depthdav/operations", null, as("alice")).body()
        .contains(id));
    assertEquals(200, http.send("GET", location, null, as("admin")).statusCode());
    HttpResponse<String> own = http.send("GET", location, null, as("alice"));
    assertEquals(200, own.statusCode());
    assertTrue(own.body().contains("\"user\": \"alice\""), own.body());
  }

  @Test
  void hostNotServed_421_nothingWritten() throws Exception {
    start(DEFAULT);
    String raw = http.raw("PUT /f HTTP/1.1\r\nHost: rebind.attacker.example\r\n"
        + "Content-Length: 1\r\nConnection: close\r\n\r\nx");
    assertTrue(raw.startsWith("HTTP/1.1 421"), raw);
    assertEquals(404, http.send("GET", "/f", null).statusCode());
    String ok = http.raw("PUT /f HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n"
        + "Content-Length: 1\r\nConnection: close\r\n\r\nx");
    assertTrue(ok.startsWith("HTTP/1.1 201"), ok);
  }

  @Test
  void maxUpload_declaredOrStreamed_413_nothingStored() throws Exception {
    start(new Security(Authenticator.Anonymous.NONE, false, null, List.of(), 1000, false));
    HttpResponse<String> r = http.send("PUT", "/big", "z".repeat(1001));
    assertEquals(413, r.statusCode(), r.body());
    assertTrue(r.body().contains("--max-upload"), r.body());
    String chunk = "z".repeat(1500);
    String raw = http.raw("PUT /big HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
        + "\r\n0\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 413"), raw);
    assertEquals(404, http.send("GET", "/big", null).statusCode());
    assertEquals(201, http.send("PUT", "/big", "z".repeat(1000)).statusCode());
  }

  @Test
  void quota_putAndCopyPastIt_507QuotaNotExceeded_nothingStored_propsReportIt() throws Exception {
    start(DEFAULT, new User("alice", HASH, "/alice", false, 1000, false),
        user("admin", "/", false, true));
    assertEquals(201, http.send("MKCOL", "/alice/", null, as("admin")).statusCode());
    assertEquals(201, http.send("PUT", "/f", "a".repeat(600), as("alice")).statusCode());

    HttpResponse<String> r = http.send("PUT", "/g", "b".repeat(401), as("alice"));
    assertEquals(507, r.statusCode(), r.body());
    assertTrue(r.body().contains("quota-not-exceeded"), r.body());
    String chunk = "c".repeat(500);
    String raw = http.raw("PUT /g HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
        + as("alice")[1] + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 507"), raw);
    assertEquals(404, http.send("GET", "/g", null, as("alice")).statusCode());
    HttpResponse<String> copy = http.send("COPY", "/f", null, as("alice", "Destination",
        http.uri("/copy").toString()));
    assertEquals(507, copy.statusCode(), copy.body());
    assertEquals(404, http.send("GET", "/copy", null, as("alice")).statusCode(),
        "a copy counts in full");

    // An overwrite may use what the replaced file held; the admin has no quota.
    assertEquals(204, http.send("PUT", "/f", "d".repeat(1000), as("alice")).statusCode());
    assertEquals(201, http.send("PUT", "/big", "e".repeat(5000), as("admin")).statusCode());
    String props = http.send("PROPFIND", "/", "<?xml version=\"1.0\"?><D:propfind "
        + "xmlns:D=\"DAV:\"><D:prop><D:quota-used-bytes/><D:quota-available-bytes/></D:prop>"
        + "</D:propfind>", as("alice", "Depth", "0")).body();
    assertTrue(props.contains("<D:quota-used-bytes>1000</D:quota-used-bytes>"), props);
    assertTrue(props.contains("<D:quota-available-bytes>0</D:quota-available-bytes>"), props);
  }

  @Test
  void anonymousRead_withUsers_readsWithoutCredentials_writesNeedThem() throws Exception {
    start(new Security(Authenticator.Anonymous.READ, false, null, List.of(), 0, false),
        user("alice", "/", false, false));
    assertEquals(201, http.send("PUT", "/f", "x", as("alice")).statusCode());
    assertEquals("x", http.send("GET", "/f", null).body());
    assertEquals(207, http.send("PROPFIND", "/", null, "Depth", "1").statusCode());
    HttpResponse<String> r = http.send("PUT", "/f", "y");
    assertEquals(403, r.statusCode(), r.body());
    assertEquals(403, http.send("DELETE", "/f", null).statusCode());
    assertEquals("x", http.send("GET", "/f", null).body());
    assertFalse(http.send("GET", "/.depthdav/locks", null).body().contains("urn:uuid"));
  }
}
