package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.testing.Postgres;
import dev.depthdav.testing.ServerProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depthdav user ...} on a stopped data folder and through a running server's socket. */
class UserCommandTest {
  @TempDir Path data;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int user(String stdin, String... args) throws Exception {
    out.reset();
    err.reset();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data";
    all[args.length + 1] = data.toString();
    return Main.user(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        null, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  List<User> stored() {
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      return new JdbcUsers(store).list();
    }
  }

  @Test
  void stoppedStore_addListPasswdRemove() throws Exception {
    assertEquals(0, user("s3cret pass\n", "add", "alice", "--password-stdin", "--root", "/team/a",
        "--read-only", "--quota", "10G", "--admin"), err.toString());
    User alice = stored().get(0);
    assertEquals(new User("alice", alice.passwordHash(), "/team/a", true, 10L << 30, true),
        alice);
    assertTrue(Passwords.verify("s3cret pass".toCharArray(), alice.passwordHash()));
    assertFalse(alice.passwordHash().contains("s3cret"), "only a hash is stored");

    assertEquals(0, user("", "list"));
    assertTrue(out.toString().contains("alice\troot=/team/a\tread-only\tquota=10737418240\tadmin"),
        out.toString());

    assertEquals(0, user("other\n", "passwd", "alice", "--password-stdin"), err.toString());
    assertTrue(Passwords.verify("other".toCharArray(), stored().get(0).passwordHash()));
    assertEquals(0, user("", "remove", "alice"));
    assertEquals(List.of(), stored());
  }

  @Test
  void serverOnPostgres_theUserGoesToItsDatabase() throws Exception {
    String url = Postgres.freshDatabase();
    String user = Postgres.shared().user();
    assertEquals(0, user("pw\n", "add", "alice", "--password-stdin", "--db", url, "--db-user",
        user), err.toString());
    try (JdbcStore store = JdbcStore.openPostgres(url, user, "", data.resolve("blobs"),
        StoreSettings.DEFAULTS, false)) {
      assertEquals(List.of("alice"), new JdbcUsers(store).list().stream().map(User::name)
          .toList());
    }
    assertEquals(List.of(), stored(), "nothing in an H2 database of the data folder");
  }

  @Test
  void refusals_sayWhy_changeNothing() throws Exception {
    assertEquals(0, user("pw\n", "add", "alice", "--password-stdin"));
    assertEquals(1, user("pw\n", "add", "alice", "--password-stdin"));
    assertTrue(err.toString().contains("already exists"), err.toString());
    assertEquals(2, user("\n", "add", "bob", "--password-stdin"));
    assertTrue(err.toString().contains("empty"), err.toString());
    assertEquals(2, user("", "add", "bob"), "no terminal and no --password-stdin");
    assertTrue(err.toString().contains("--password-stdin"), err.toString());
    assertNotEquals(0, user("pw\n", "add", "a:b", "--password-stdin"));
    assertNotEquals(0, user("pw\n", "add", "bob", "--password-stdin", "--root", "../x"));
    assertNotEquals(0, user("pw\n", "add", "bob", "--password-stdin", "--root", "/.depthdav"));
    assertNotEquals(0, user("pw\n", "add", "bob", "--password-stdin", "--quota", "lots"));
    assertEquals(1, user("", "remove", "nobody"));
    assertEquals(List.of("alice"), stored().stream().map(User::name).toList());
  }

  @Test
  void runningServer_changesGoThroughItsSocket_andCountAtOnce() throws Exception {
    assertEquals(0, user("pw\n", "add", "admin", "--password-stdin", "--admin"));
    try (ServerProcess server = ServerProcess.start(data)) {
      URI uri = server.uri();
      assertEquals(401, get(uri, "carol", "pw"));
      assertEquals(0, user("carol's pw\n", "add", "carol", "--password-stdin", "--root",
          "/carol"), err.toString() + out);
      assertEquals(207, propfind(uri, "carol", "carol's pw"), "the new user works at once");
      assertEquals(0, user("new\n", "passwd", "carol", "--password-stdin"));
      assertEquals(401, propfind(uri, "carol", "carol's pw"), "the old password is dead");
      assertEquals(207, propfind(uri, "carol", "new"));
      assertEquals(0, user("", "remove", "carol"));
      assertEquals(401, propfind(uri, "carol", "new"));

      assertEquals(200, get(uri, "admin", "pw"));
      boolean logged = false;
      for (int i = 0; i < 50 && !logged; i++) {
        logged = server.output().stream().anyMatch(l -> l.contains(" - admin [")
            && l.contains("\"GET / "));
        Thread.sleep(100); // the access log is written after the response
      }
      assertTrue(logged, "the access log names the user: " + server.output());
      assertTrue(server.output().stream().noneMatch(l -> l.contains("carol's pw")
          || l.contains("new\"")), "no password in the log");
    }
    assertFalse(Files.exists(data.resolve("control").resolve("depthdav.sock")),
        "the socket goes with the server");
  }

  private static int get(URI uri, String user, String pw) throws Exception {
    return send(uri, "GET", user, pw);
  }

  private static int propfind(URI uri, String user, String pw) throws Exception {
    return send(uri, "PROPFIND", user, pw);
  }

  private static int send(URI uri, String method, String user, String pw) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri).method(method,
        HttpRequest.BodyPublishers.noBody()).header("Depth", "0").header("Authorization",
        "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw)
            .getBytes(StandardCharsets.UTF_8))).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
