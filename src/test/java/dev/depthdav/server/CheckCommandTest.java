package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.testing.Postgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depthdav check} on the scale-out engines: the rows in PostgreSQL, the blobs in a shared
 * folder, named by the same flags as the server's (README "Storage engines"). A consistent store
 * passes; a damaged blob is found.
 */
class CheckCommandTest {
  @TempDir Path dir;
  String url;
  String user;

  @BeforeEach
  void database() throws Exception {
    url = Postgres.freshDatabase();
    user = Postgres.shared().user();
  }

  /** Writes a small tree through a server on the database, then stops it. */
  void writeTree() throws Exception {
    try (JdbcStore store = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"),
        StoreSettings.DEFAULTS, true)) {
      DavServer server = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("node")),
          store, new JdbcUsers(store));
      try {
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(201, send(http, server, "MKCOL", "/docs/", null).statusCode());
        // Blob files: longer than what the store keeps in its rows (JdbcStore.INLINE_MAX).
        assertEquals(201, send(http, server, "PUT", "/docs/a.txt", "alpha".repeat(4_000))
            .statusCode());
        assertEquals(201, send(http, server, "PUT", "/docs/b.txt", "bravo!".repeat(4_000))
            .statusCode());
        HttpResponse<String> copy = send(http, server, "COPY", "/docs/", null,
            "Destination", server.uri().resolve("/copy/").toString());
        assertEquals(201, copy.statusCode(), copy.body());
      } finally {
        server.close();
      }
    }
  }

  static HttpResponse<String> send(HttpClient http, DavServer s, String method, String path,
      String body, String... headers) throws Exception {
    return http.send(TwoNodesHttpTest.request(s, method, path, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body),
        headers), HttpResponse.BodyHandlers.ofString());
  }

  /** Runs the command as a user would, with the server's own flags; the exit code and output. */
  record Run(int exit, String out) {}

  Run check() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit = Main.check(new String[] {"--data", dir.resolve("node").toString(), "--db", url,
        "--db-user", user, "--blobs", "file:" + dir.resolve("blobs")}, ps, ps);
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  List<Path> blobFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().length() == 64).toList();
    }
  }

  @Test
  void consistentStoreOnPostgres_checkOk() throws Exception {
    writeTree();
    Run r = check();
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("check: OK"), r.out());
    // Four files with two contents: COPY shares blobs, so two are referenced.
    assertTrue(r.out().contains(" rows, 2 referenced blobs"), r.out());
  }

  @Test
  void blobTruncatedBehindTheServersBack_checkFindsIt() throws Exception {
    writeTree();
    List<Path> blobs = blobFiles();
    assertEquals(2, blobs.size(), blobs.toString());
    Files.write(blobs.get(0), new byte[] {1});
    Run r = check();
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("problem: ") && r.out().contains(
        blobs.get(0).getFileName().toString()), r.out());
  }

  @Test
  void blobDeleted_checkFindsIt() throws Exception {
    writeTree();
    Path gone = blobFiles().get(1);
    Files.delete(gone);
    Run r = check();
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains(gone.getFileName().toString()), r.out());
  }
}
