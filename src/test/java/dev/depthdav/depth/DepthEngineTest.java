package dev.depthdav.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.Store;
import dev.depthdav.store.Tx;
import dev.depthdav.testing.ForwardingStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets, disconnects and crashes: a tree operation's result is whole or absent. */
class DepthEngineTest {
  @TempDir Path data;
  private final HttpClient client = HttpClient.newHttpClient();

  /** Builds /tree with {@code dirs} collections of {@code files} files each, straight in H2. */
  private static long buildTree(Path data, int dirs, int files) throws Exception {
    try (JdbcStore store = JdbcStore.open(data)) {
      // The pin is held until the rows that name the blob have committed (BlobStore.write).
      try (BlobStore.Pending p = store.blobs().write(new ByteArrayInputStream(
          "x".getBytes(StandardCharsets.UTF_8)), -1)) {
        Blob blob = p.blob();
        Instant now = Instant.now();
        store.write(tx -> {
        Node top = tx.createCollection(tx.root().id(), "tree", now);
        for (int d = 0; d < dirs; d++) {
          Node dir = tx.createCollection(top.id(), "d" + d, now);
          for (int f = 0; f < files; f++) {
            tx.createFile(dir.id(), "f" + f, blob, null, now);
          }
        }
        return null;
      });
      }
    }
    return 1L + dirs + (long) dirs * files;
  }

  private static long count(Path data, String path) {
    try (JdbcStore store = JdbcStore.open(data)) {
      return store.read(tx -> tx.resolve(DavPath.parse(path))
          .map(n -> tx.countSubtree(n.id(), Long.MAX_VALUE)).orElse(0L));
    }
  }

  private String send(URI uri, String method, String depth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
        HttpRequest.BodyPublishers.noBody());
    if (depth != null) {
      b.header("Depth", depth);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void propfindInfinity_overBudget_403BeforeAnyBody() throws Exception {
    buildTree(data, 3, 3); // 13 resources
    DavServer server =
        TestServers.start(data, c -> c.withWorkers(2, 4).withPropfindBudget(12), s -> s);
    try {
      String over = send(server.uri().resolve("/tree/"), "PROPFIND", "infinity");
      assertTrue(over.startsWith("403 "), over);
      assertTrue(over.contains("<D:propfind-finite-depth/>"), over);
      assertTrue(send(server.uri().resolve("/tree/d0/"), "PROPFIND", "infinity")
          .startsWith("207 "));
      assertTrue(send(server.uri().resolve("/tree/"), "PROPFIND", "1").startsWith("207 "));
    } finally {
      TestServers.stop(server);
    }
  }

  /**
   * The first byte of a Depth: infinity PROPFIND waits for the tree's count against the budget
   * unless the ids the snapshot sees span no more than the budget: then the whole store is
   * within it, and nothing is counted.
   */
  @Test
  void propfindInfinity_countsTheTreeOnlyWhenTheStoreMayHoldMoreThanTheBudget()
      throws Exception {
    buildTree(data, 3, 3); // 13 resources under /tree
    long span;
    try (JdbcStore store = JdbcStore.open(data)) {
      span = store.read(Tx::resourcesAtMost); // the ids of the tree, the top rows, the blob's
    }
    assertTrue(span >= 16 && span < 24, "span: " + span);
    for (long budget : new long[] {span, span - 1}) {
      AtomicInteger counts = new AtomicInteger();
      DavServer server = TestServers.start(data,
          c -> c.withWorkers(2, 4).withPropfindBudget(budget), s -> countingTrees(s, counts));
      try {
        String all = send(server.uri().resolve("/tree/"), "PROPFIND", "infinity");
        assertTrue(all.startsWith("207 "), all);
        assertEquals(13, all.split("<D:response>", -1).length - 1, all);
        assertEquals(budget == span ? 0 : 1, counts.get(),
            "trees counted with a budget of " + budget);
      } finally {
        TestServers.stop(server);
      }
    }
  }

  /** The store, with every {@link Tx#countSubtree} of its reads counted. */
  private static Store countingTrees(Store inner, AtomicInteger counts) {
    return new ForwardingStore(inner) {
      @Override
      public <T> T read(Work<T> work) {
        return inner.read(tx -> work.run((Tx) Proxy.newProxyInstance(Tx.class.getClassLoader(),
            new Class<?>[] {Tx.class}, (proxy, m, args) -> {
              if (m.getName().equals("countSubtree")) {
                counts.incrementAndGet();
              }
              try {
                return m.invoke(tx, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            })));
      }
    };
  }

  @Test
  void preferRespondAsync_202ThenStateThenResult() throws Exception {
    long size = buildTree(data, 5, 5);
    DavServer server = TestServers.start(data);
    try {
      HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(
          server.uri().resolve("/tree")).method("COPY", HttpRequest.BodyPublishers.noBody())
          .header("Destination", "/async-copy").header("Prefer", "respond-async").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, accepted.statusCode(), accepted.body());
      assertEquals("respond-async",
          accepted.headers().firstValue("Preference-Applied").orElse(""));
      URI state = server.uri().resolve(accepted.headers().firstValue("Location").orElseThrow());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String json;
      do {
        json = send(state, "GET", null);
      } while (!json.contains("\"state\": \"done\"") && System.nanoTime() < deadline);
      assertTrue(json.contains("\"status\": 201"), json);
      assertTrue(send(URI.create(state + "/result"), "GET", null).startsWith("201 "));
      HttpResponse<String> find = client.send(HttpRequest.newBuilder(
          server.uri().resolve("/async-copy")).method("PROPFIND",
          HttpRequest.BodyPublishers.noBody()).header("Prefer", "respond-async").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, find.statusCode());
      URI findState = server.uri().resolve(find.headers().firstValue("Location").orElseThrow());
      String listing;
      do {
        listing = send(URI.create(findState + "/result"), "GET", null);
      } while (listing.startsWith("409 ") && System.nanoTime() < deadline);
      assertTrue(listing.startsWith("207 "), listing);
      assertEquals(size, RawHttp.count(listing, "<D:response>"));
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void clientDisconnects_operationStillWhole() throws Exception {
    long size = buildTree(data, 20, 50);
    GatedStore[] gated = new GatedStore[1];
    DavServer server = TestServers.start(data, c -> c, s -> gated[0] = new GatedStore(s));
    try {
      gated[0].close(true);
      try (RawHttp r = new RawHttp(server.uri(), RawHttp.request("COPY", "/tree", "HTTP/1.1",
          "Destination: /copy"))) {
        assertTrue(gated[0].entered.await(30, TimeUnit.SECONDS));
      } // the client is gone
      gated[0].open();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String ops;
      do {
        ops = send(server.uri().resolve("/.depthdav/operations"), "GET", null);
        Thread.onSpinWait();
      } while (!ops.contains("\"status\": 201") && System.nanoTime() < deadline);
      assertTrue(ops.contains("\"method\": \"COPY\""), ops);
      assertTrue(ops.contains("\"status\": 201"), ops);
    } finally {
      TestServers.stop(server);
    }
    assertEquals(size, count(data, "/copy"));
  }

  @Test
  void killDuringCopy_destinationWholeOrAbsent_andCheckPasses() throws Exception {
    long size = buildTree(data, 100, 300); // 30,101 resources
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), "dev.depthdav.server.Main",
        "--port", "0", "--data", data.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      URI uri = null;
      for (String line; uri == null && (line = out.readLine()) != null; ) {
        int at = line.indexOf("depthdav serving ");
        if (at >= 0) {
          uri = URI.create(line.substring(at + 17, line.indexOf(" from ")));
        }
      }
      assertTrue(uri != null, "the server did not start");
      try (RawHttp copy = new RawHttp(uri, RawHttp.request("COPY", "/tree", "HTTP/1.1",
          "Destination: /copy"))) {
        String ops;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
          ops = send(uri.resolve("/.depthdav/operations"), "GET", null);
        } while (!ops.contains("\"phase\": \"copying\"") && !ops.contains("\"status\": 201")
            && System.nanoTime() < deadline);
        server.destroyForcibly(); // SIGKILL, mid-copy
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
      }
    } finally {
      server.destroyForcibly();
    }
    long copied = count(data, "/copy");
    assertTrue(copied == 0 || copied == size, "partial copy: " + copied + " of " + size);
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      assertEquals(java.util.List.of(), JdbcCheck.run(store).problems());
    }
  }
}
