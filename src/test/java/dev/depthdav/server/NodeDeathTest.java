package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.depth.OperationJournal;
import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.Node;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.testing.Postgres;
import dev.depthdav.testing.ServerProcess;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL database and blob folder, one of them a server in its own JVM
 * that is killed with SIGKILL, as a crash or the OOM killer would: what the survivor sees.
 */
class NodeDeathTest {
  @TempDir Path dir;
  String url;
  String user;
  ServerProcess a;
  JdbcStore storeB;
  DavServer b;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    url = Postgres.freshDatabase();
    user = Postgres.shared().user();
  }

  @AfterEach
  void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (storeB != null) {
      storeB.close();
    }
  }

  /**
   * kill -9 of the node running an async COPY of 32,000 resources, while the other node sees it
   * running with every resource copied under the hidden staging row and the copy not yet
   * committed: the destination is absent, what the dead node acknowledged before is there, the
   * other node keeps serving, check finds nothing wrong, and after the node timeout the other
   * node reports the operation failed.
   */
  @Test
  void killNine_midAsyncCopy_destinationAbsent_otherNodeServes_reportsFailed() throws Exception {
    startB();
    long size = buildTree(storeB, 1000, 5);
    a = ServerProcess.start(dir.resolve("a"), "--db", url, "--db-user", user, "--blobs",
        "file:" + dir.resolve("blobs"), "--node-timeout", "3s");
    for (int i = 0; i < 5; i++) {
      assertEquals(201, put(a.uri(), "/acked-" + i, "acknowledged " + i).statusCode());
    }
    String location;
    // The kill lands in flight, always: a's COPY moves the id mark just before its commit, and
    // while this connection holds the mark's row the COPY waits there, every row staged, its
    // publishing update made but not committed.
    try (Connection mark = DriverManager.getConnection(url, user, "")) {
      mark.setAutoCommit(false);
      try (Statement st = mark.createStatement()) {
        st.executeQuery("SELECT next_id FROM id_mark FOR UPDATE").close();
      }
      HttpResponse<String> accepted = send(a.uri(), "COPY", "/tree/", "Destination",
          a.uri().resolve("/copy/").toString(), "Prefer", "respond-async");
      assertEquals(202, accepted.statusCode(), accepted.body());
      location = accepted.headers().firstValue("Location").orElseThrow();
      String seen = awaitOnB(location, "\"done\": " + size + ",");
      assertTrue(seen.contains("\"state\": \"running\""), seen);
      a.kill();
      mark.rollback();
    }

    // The other node serves: a write (once the database has dropped the dead node's writer
    // lock), reads, and what the dead node acknowledged.
    assertEquals(201, put(b.uri(), "/after", "written on b").statusCode());
    assertEquals("written on b", send(b.uri(), "GET", "/after").body());
    for (int i = 0; i < 5; i++) {
      assertEquals("acknowledged " + i, send(b.uri(), "GET", "/acked-" + i).body());
    }
    assertEquals(207, send(b.uri(), "PROPFIND", "/tree/", "Depth", "1").statusCode());
    assertEquals(404, send(b.uri(), "PROPFIND", "/copy/", "Depth", "0").statusCode(),
        "an unpublished copy is absent");
    assertEquals(size + 1, (long) storeB.read(tx -> tx.countSubtree(STAGING, Long.MAX_VALUE)),
        "the whole copy was staged, never published");
    assertEquals(java.util.List.of(), JdbcCheck.run(storeB).problems());

    String failed = awaitOnB(location, "\"state\": \"failed\"");
    assertTrue(failed.contains(OperationJournal.NODE_STOPPED), failed);
    assertEquals(500, send(b.uri(), "GET", location + "/result").statusCode());
    assertEquals(size, (long) storeB.read(tx -> tx.countSubtree(tx.resolve(
        dev.depthdav.store.DavPath.parse("/tree")).orElseThrow().id(), Long.MAX_VALUE)));

    // The next start of a node hands the staged rows to the purger.
    b.close();
    storeB.close();
    startB();
    storeB.purgeNow();
    assertEquals(1L, (long) storeB.read(tx -> tx.countSubtree(STAGING, Long.MAX_VALUE)));
    assertEquals(java.util.List.of(), JdbcCheck.run(storeB).problems());
  }

  /** The purger's lease (a session lock) goes with a node killed by SIGKILL, to a survivor. */
  @Test
  void killNine_ofThePurgingNode_theOtherTakesTheLease() throws Exception {
    a = ServerProcess.start(dir.resolve("a"), "--db", url, "--db-user", user, "--blobs",
        "file:" + dir.resolve("blobs"));
    startB();
    assertTrue(!storeB.leadsPurging(), "the node started first purges");
    a.kill();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!storeB.leadsPurging() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(storeB.leadsPurging(), "the lease went with the killed node's session");
  }

  /** The hidden row copies are staged under (JdbcTx.STAGING), looked at from outside. */
  private static final long STAGING = -1;

  /**
   * Polls the operation on b (60 s at most) until its JSON has {@code want} and, when given,
   * not {@code not}.
   */
  private String awaitOnB(String location, String want, String... not) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String json;
    boolean there;
    do {
      HttpResponse<String> r = send(b.uri(), "GET", location);
      assertEquals(200, r.statusCode(), "b knows the operation: " + r.body());
      json = r.body();
      there = json.contains(want) && (not.length == 0 || !json.contains(not[0]));
    } while (!there && System.nanoTime() < deadline);
    assertTrue(there, json);
    return json;
  }

  private HttpResponse<String> put(URI base, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void startB() throws Exception {
    storeB = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS,
        true);
    Config config = Config.parse(new String[] {"--port", "0", "--data",
        dir.resolve("b").toString(), "--node-timeout", "3s"}, name -> null);
    b = DavServer.start(config, storeB, new JdbcUsers(storeB));
  }

  /**
   * /tree/ with {@code seed} resources (folders of 100, files sharing one blob), then copied
   * into itself {@code doublings} times: a large tree at the cost of a few set-based copies.
   */
  static long buildTree(JdbcStore store, int seed, int doublings) throws Exception {
    Instant now = Instant.now();
    try (BlobStore.Pending pending = store.blobs().write(
        new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), -1)) {
      Blob blob = pending.blob();
      store.write(tx -> {
        Node top = tx.createCollection(tx.root().id(), "tree", now);
        Node part = tx.createCollection(top.id(), "part0", now);
        Node dir = part;
        for (int i = 2; i < seed; i++) {
          if (i % 100 == 0) {
            dir = tx.createCollection(part.id(), "dir" + i, now);
          } else {
            tx.createFile(dir.id(), "file-" + i + ".txt", blob, "text/plain", now);
          }
        }
        return null;
      });
      pending.stored();
    }
    for (int k = 1; k <= doublings; k++) {
      String name = "part" + k;
      store.write(tx -> {
        Node top = tx.resolve(dev.depthdav.store.DavPath.parse("/tree")).orElseThrow();
        Node copy = tx.copy(top.id(), tx.root().id(), "tree-copy", true, now);
        tx.move(copy.id(), top.id(), name, now);
        return null;
      });
    }
    return store.read(tx -> tx.countSubtree(
        tx.resolve(dev.depthdav.store.DavPath.parse("/tree")).orElseThrow().id(), Long.MAX_VALUE));
  }

  HttpResponse<String> send(URI base, String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).method(method,
        HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
