package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.testing.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL database and one blob folder, as two nodes behind a load
 * balancer: what one does, the other sees and honours.
 */
class TwoNodesHttpTest {
  private static final String EXCLUSIVE = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\">"
      + "<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
      + "</D:lockinfo>";
  @TempDir Path dir;
  JdbcStore storeA;
  JdbcStore storeB;
  DavServer a;
  DavServer b;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    String url = Postgres.freshDatabase();
    String user = Postgres.shared().user();
    storeA = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS,
        true);
    storeB = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS,
        true);
    a = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("a")), storeA,
        new JdbcUsers(storeA));
    b = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("b")), storeB,
        new JdbcUsers(storeB));
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    storeA.close();
    storeB.close();
  }

  HttpResponse<String> send(DavServer s, String method, String path, String body,
      String... headers) throws Exception {
    return http.send(request(s, method, path, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body), headers),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request to one node, with header names and values in turn. */
  static HttpRequest request(DavServer s, String method, String path,
      HttpRequest.BodyPublisher body, String... headers) {
    HttpRequest.Builder r = HttpRequest.newBuilder(s.uri().resolve(path)).method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return r.build();
  }

  @Test
  void putOnOne_getOnTheOther_sameBytes() throws Exception {
    assertEquals(201, send(a, "PUT", "/f.txt", "written on a").statusCode());
    assertEquals("written on a", send(b, "GET", "/f.txt", null).body());
  }

  @Test
  void lockOnOne_putOnTheOtherWithoutItsToken_423_withIt_204() throws Exception {
    assertEquals(201, send(a, "PUT", "/f", "v1").statusCode());
    HttpResponse<String> lock = send(a, "LOCK", "/f", EXCLUSIVE);
    assertEquals(200, lock.statusCode(), lock.body());
    String token = lock.headers().firstValue("Lock-Token").orElseThrow();
    assertEquals(423, send(b, "PUT", "/f", "from b").statusCode());
    assertEquals("v1", send(b, "GET", "/f", null).body());
    assertEquals(204, send(b, "PUT", "/f", "v2", "If", "(" + token + ")").statusCode());
    assertEquals(204, send(b, "UNLOCK", "/f", null, "Lock-Token", token).statusCode());
    assertEquals(204, send(a, "PUT", "/f", "v3").statusCode());
  }

  /** Crossed MOVEs sent to the two nodes at once: one wins, the other is refused, no cycle. */
  @Test
  void crossedMoves_onTwoNodes_oneWins() throws Exception {
    for (int round = 0; round < 10; round++) {
      String p = "/p" + round + "/";
      String q = "/q" + round + "/";
      assertEquals(201, send(a, "MKCOL", p, null).statusCode());
      assertEquals(201, send(a, "MKCOL", q, null).statusCode());
      // Behind a load balancer both nodes answer for one authority: each names its own.
      CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(() ->
          quietly(a, p, a.uri().resolve(q + "x/").toString()));
      CompletableFuture<HttpResponse<String>> two = CompletableFuture.supplyAsync(() ->
          quietly(b, q, b.uri().resolve(p + "y/").toString()));
      int s1 = one.get().statusCode();
      int s2 = two.get().statusCode();
      assertTrue((s1 == 201) ^ (s2 == 201), "round " + round + ": " + s1 + ", " + s2);
      String tree = send(a, "PROPFIND", "/", null, "Depth", "infinity").body();
      assertTrue(tree.contains(s1 == 201 ? "q" + round + "/x/" : "p" + round + "/y/"), tree);
    }
  }

  private HttpResponse<String> quietly(DavServer s, String from, String to) {
    try {
      return send(s, "MOVE", from, null, "Destination", to);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
