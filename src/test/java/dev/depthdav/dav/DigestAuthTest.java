package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.DigestHa1;
import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.testing.DigestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digest (RFC 7616) against the real server on loopback plain HTTP, with --digest on. */
class DigestAuthTest {
  private static final String PASSWORD = "Circle of Life";

  @TempDir Path data;
  DavServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = startServer();
    char[] pw = PASSWORD.toCharArray();
    TestServers.users(server).add(new User("mufasa", Passwords.hash(pw), "/", false,
        User.NO_QUOTA, false, DigestHa1.of("mufasa", Authenticator.REALM, pw)));
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void noCredentials_401OffersDigestSha256ThenMd5ThenBasic() throws Exception {
    HttpResponse<String> r = http.send("GET", "/", null);
    assertEquals(401, r.statusCode());
    List<String> offered = r.headers().allValues("WWW-Authenticate");
    assertEquals(3, offered.size(), offered.toString());
    assertEquals("SHA-256", DigestClient.params(offered.get(0)).get("algorithm"));
    assertEquals("MD5", DigestClient.params(offered.get(1)).get("algorithm"));
    // Loopback plain HTTP allows Basic too (RFC 7617 §4: nothing crosses a network).
    assertTrue(offered.get(2).startsWith("Basic realm=\"depthdav\""), offered.get(2));
  }

  @Test
  void answerToChallenge_putCreatedAndGetOk() throws Exception {
    String target = "/a%20b.txt?v=1"; // the uri is the raw request-target, query included
    String put = answer(0, "PUT", target);
    assertEquals(201, http.send("PUT", target, "hello", "Authorization", put).statusCode());
    String get = answer(1, "GET", target); // MD5, for old clients
    HttpResponse<String> r = http.send("GET", target, null, "Authorization", get);
    assertEquals(200, r.statusCode());
    assertEquals("hello", r.body());
  }

  @Test
  void wrongPassword_401WithChallenges() throws Exception {
    String challenge = challenges().get(0);
    String header = DigestClient.authorization(challenge, "mufasa", "circle of life", "GET", "/");
    HttpResponse<String> r = http.send("GET", "/", null, "Authorization", header);
    assertEquals(401, r.statusCode());
    assertEquals(3, r.headers().allValues("WWW-Authenticate").size());
  }

  @Test
  void nonceOfARestartedServer_401StaleThenFreshNonceOk() throws Exception {
    String old = challenges().get(0);
    TestServers.stop(server);
    server = startServer();
    String header = DigestClient.authorization(old, "mufasa", PASSWORD, "GET", "/");
    HttpResponse<String> r = http.send("GET", "/", null, "Authorization", header);
    assertEquals(401, r.statusCode());
    List<String> offered = r.headers().allValues("WWW-Authenticate");
    // RFC 7616 §3.3: stale=true, so that the client retries with the new nonce unasked.
    assertEquals("true", DigestClient.params(offered.get(0)).get("stale"), offered.toString());
    assertEquals("true", DigestClient.params(offered.get(1)).get("stale"), offered.toString());
    String fresh = DigestClient.authorization(offered.get(0), "mufasa", PASSWORD, "GET", "/");
    assertEquals(207, http.send("PROPFIND", "/", null, "Authorization",
        answer(0, "PROPFIND", "/"), "Depth", "0").statusCode());
    assertEquals(200, http.send("GET", "/", null, "Authorization", fresh).statusCode());
  }

  @Test
  void uriOfAnotherTarget_400() throws Exception {
    String header = DigestClient.authorization(challenges().get(0), "mufasa", PASSWORD, "GET",
        "/other");
    assertEquals(400, http.send("GET", "/", null, "Authorization", header).statusCode());
  }

  private DavServer startServer() throws Exception {
    DavServer s = TestServers.start(data,
        c -> c.withSecurity(c.security().withDigest(true)), store -> store);
    http = new Http(s.uri());
    return s;
  }

  private List<String> challenges() throws Exception {
    return http.send("OPTIONS", "/", null).headers().allValues("WWW-Authenticate");
  }

  /** An Authorization value answering the {@code which}-th challenge of a fresh 401. */
  private String answer(int which, String method, String target) throws Exception {
    return DigestClient.authorization(challenges().get(which), "mufasa", PASSWORD, method,
        target);
  }
}
