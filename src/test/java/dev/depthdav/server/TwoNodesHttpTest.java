package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.testing.Postgres;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
    // b reads the accounts' shared counter at every request (JdbcUsers.RECHECK is a second), so
    // that a change made through a counts there at once.
    b = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("b")), storeB,
        readingAccountsAtOnce(storeB));
  }

  /**
   * A PUT into a collection whose body is still arriving on one node when a MOVE of that
   * collection completes on the other: the upload cannot land under the old name, nor appear in
   * the moved tree; it answers 409 (its parent is gone) and leaves no file. The last bytes of the
   * body are held until the MOVE has answered, so this order happens every run.
   */
  @Test
  void putOvertakenByMoveOfItsParent_answers409AndLeavesNoFile() throws Exception {
    assertEquals(201, send(a, "MKCOL", "/m/", null).statusCode());
    byte[] body = "held body".getBytes(StandardCharsets.US_ASCII);
    try (Socket put = new Socket(b.uri().getHost(), b.uri().getPort())) {
      put.setSoTimeout(30_000);
      OutputStream out = put.getOutputStream();
      out.write(("PUT /m/f HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 4);
      out.flush();
      Thread.sleep(100); // a head start for the PUT's handler, not a wait for a result
      assertEquals(201, send(a, "MOVE", "/m/", null, "Destination",
          a.uri().resolve("/n/").toString()).statusCode());
      out.write(body, 4, body.length - 4);
      out.flush();
      String answer = new String(put.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 409 "), answer);
    }
    assertEquals(404, send(a, "GET", "/m/f", null).statusCode());
    assertEquals(404, send(b, "GET", "/n/f", null).statusCode());
  }

  /**
   * MOVE of a collection on one node racing a PUT into it on the other, many rounds: the file
   * ends in one place, under the new name if its PUT won (201) and nowhere if it lost (409),
   * never under the old name. Which side wins a round depends on timing (uploads to S3 take
   * longer than a MOVE); each outcome is checked as it happens, and the order where the MOVE
   * overtakes the upload is forced in the test above.
   */
  @Test
  void moveRacingPutIntoTheMovedTree_fileInOnePlace() throws Exception {
    for (int round = 0; round < 20; round++) {
      String m = "/m" + round + "/";
      String n = "/n" + round + "/";
      assertEquals(201, send(a, "MKCOL", m, null).statusCode());
      long moveDelay = round % 2 == 0 ? 0 : 20;
      long putDelay = round % 2 == 0 ? 20 : 0;
      CompletableFuture<HttpResponse<String>> move = CompletableFuture.supplyAsync(() ->
          after(moveDelay, () -> send(a, "MOVE", m, null, "Destination",
              a.uri().resolve(n).toString())));
      CompletableFuture<HttpResponse<String>> put = CompletableFuture.supplyAsync(() ->
          after(putDelay, () -> send(b, "PUT", m + "f", "raced")));
      assertEquals(201, move.get().statusCode(), "round " + round);
      int putStatus = put.get().statusCode();
      assertEquals(404, send(a, "GET", m + "f", null).statusCode(), "round " + round);
      HttpResponse<String> atNew = send(b, "GET", n + "f", null);
      if (putStatus == 201) {
        assertEquals(200, atNew.statusCode(), "round " + round + ": the PUT won, it moved along");
        assertEquals("raced", atNew.body(), "round " + round);
      } else {
        assertEquals(409, putStatus, "round " + round);
        assertEquals(404, atNew.statusCode(), "round " + round + ": the PUT lost, no file");
      }
    }
  }

  interface Call {
    HttpResponse<String> run() throws Exception;
  }

  private static HttpResponse<String> after(long millis, Call call) {
    try {
      Thread.sleep(millis); // a head start for the other request, not a wait for a result
      return call.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Accounts that read the shared generation at every request, not once a second. */
  static JdbcUsers readingAccountsAtOnce(JdbcStore store) {
    return new JdbcUsers(store, java.time.Duration.ZERO, java.time.InstantSource.system());
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

  /**
   * A {@code Prefer: respond-async} COPY started on one node is followed to its end on the other:
   * the Location works there, the state and the captured result are the same as on the node that
   * ran it, and what a synchronous COPY answers; another user gets 404 for it on either node.
   */
  @Test
  void asyncCopy_startedOnA_followedOnB_sameResult_404ToAnotherUser() throws Exception {
    JdbcUsers users = new JdbcUsers(storeA);
    String hash = Passwords.hash("pw".toCharArray());
    users.add(new User("alice", hash, "/", false, User.NO_QUOTA, false));
    users.add(new User("bob", hash, "/", false, User.NO_QUOTA, false));
    String[] alice = basic("alice");
    for (int d = 0; d < 5; d++) {
      assertEquals(201, send(a, "MKCOL", "/t" + (d == 0 ? "" : "/d" + d) + "/", null, alice)
          .statusCode());
      assertEquals(201, send(a, "PUT", "/t/f" + d, "content " + d, alice).statusCode());
    }
    HttpResponse<String> accepted = send(a, "COPY", "/t/", null, with(alice, "Destination",
        a.uri().resolve("/async/").toString(), "Prefer", "respond-async"));
    assertEquals(202, accepted.statusCode(), accepted.body());
    String location = accepted.headers().firstValue("Location").orElseThrow();
    String state = awaitDone(b, location, alice);
    assertTrue(state.contains("\"status\": 201"), state);
    HttpResponse<String> onB = send(b, "GET", location + "/result", null, alice);
    HttpResponse<String> onA = send(a, "GET", location + "/result", null, alice);
    HttpResponse<String> sync = send(a, "COPY", "/t/", null, with(alice, "Destination",
        a.uri().resolve("/sync/").toString()));
    assertEquals(201, onB.statusCode(), onB.body());
    assertEquals(List.of(onA.statusCode(), onA.body()), List.of(onB.statusCode(), onB.body()));
    assertEquals(List.of(sync.statusCode(), sync.body()), List.of(onB.statusCode(), onB.body()));
    assertEquals(207, send(b, "PROPFIND", "/async/d4/", null, with(alice, "Depth", "0"))
        .statusCode());
    String[] bob = basic("bob");
    assertEquals(404, send(b, "GET", location, null, bob).statusCode());
    assertEquals(404, send(b, "GET", location + "/result", null, bob).statusCode());
    assertEquals(404, send(a, "GET", location, null, bob).statusCode());
    String listed = send(b, "GET", "/.depthdav/operations", null, bob).body();
    assertTrue(!listed.contains(location.substring(location.lastIndexOf('/') + 1)), listed);
  }

  /**
   * An async PROPFIND run on A: B serves the same 207 body, byte for byte, from the blob store
   * the nodes share.
   */
  @Test
  void asyncPropfind_startedOnA_resultOnB_sameMultistatus() throws Exception {
    assertEquals(201, send(a, "MKCOL", "/p/", null).statusCode());
    assertEquals(201, send(a, "PUT", "/p/x", "x").statusCode());
    HttpResponse<String> accepted = send(a, "PROPFIND", "/p/", null, "Depth", "1", "Prefer",
        "respond-async");
    assertEquals(202, accepted.statusCode(), accepted.body());
    String location = accepted.headers().firstValue("Location").orElseThrow();
    awaitDone(b, location);
    HttpResponse<String> onB = send(b, "GET", location + "/result", null);
    assertEquals(207, onB.statusCode(), onB.body());
    assertEquals(send(a, "GET", location + "/result", null).body(), onB.body());
    assertEquals(2, onB.body().split("<D:response>", -1).length - 1, onB.body());
  }

  /** Polls {@code location} on {@code node} (60 s at most) until the operation is done. */
  private String awaitDone(DavServer node, String location, String... headers)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String state;
    do {
      HttpResponse<String> r = send(node, "GET", location, null, headers);
      assertEquals(200, r.statusCode(), "the other node knows the operation: " + r.body());
      state = r.body();
    } while (!state.contains("\"state\": \"done\"") && System.nanoTime() < deadline);
    assertTrue(state.contains("\"state\": \"done\""), state);
    return state;
  }

  private static String[] basic(String name) {
    return new String[] {"Authorization", basic(name, "pw")};
  }

  private static String[] with(String[] first, String... more) {
    String[] out = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, out, first.length, more.length);
    return out;
  }

  /**
   * A password changed through one node counts on the other: its cache of recent logins must not
   * keep letting the old password in (it did for up to 10 minutes).
   */
  @Test
  void passwordChangedOnOne_oldPasswordRefusedOnTheOther() throws Exception {
    JdbcUsers usersA = new JdbcUsers(storeA);
    usersA.add(new User("alice", Passwords.hash("old".toCharArray()), "/", false, User.NO_QUOTA,
        false));
    String old = basic("alice", "old");
    assertEquals(201, send(b, "PUT", "/f", "x", "Authorization", old).statusCode());
    assertEquals(200, send(b, "GET", "/f", null, "Authorization", old).statusCode());
    usersA.update(usersA.find("alice").orElseThrow()
        .withPassword(Passwords.hash("new".toCharArray()), null));
    assertEquals(401, send(b, "GET", "/f", null, "Authorization", old).statusCode());
    assertEquals(200, send(b, "GET", "/f", null, "Authorization", basic("alice", "new"))
        .statusCode());
    usersA.remove("alice");
    assertEquals(401, send(b, "GET", "/f", null, "Authorization", basic("alice", "new"))
        .statusCode());
  }

  private static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private HttpResponse<String> quietly(DavServer s, String from, String to) {
    try {
      return send(s, "MOVE", from, null, "Destination", to);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
