package dev.depthdav.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 102 Processing on the wire: raw requests, raw bytes. Operations are made slow honestly, by a
 * store whose writes wait for the test to open a gate.
 */
class ProcessingTest {
  private static final String P102 = "HTTP/1.1 102 Processing";
  @TempDir Path data;
  DavServer server;
  GatedStore gated;
  URI uri;

  void start(int cap, String rules, int workers, int queue) throws Exception {
    Processing p = new Processing(true, Duration.ofMillis(1), Duration.ofMillis(1), cap,
        ClientPolicy.parse(rules, 0));
    server = TestServers.start(data, c -> c.withProcessing(p).withWorkers(workers, queue), s -> {
      gated = new GatedStore(s);
      return gated;
    });
    uri = server.uri();
    HttpClient c = HttpClient.newHttpClient();
    for (String col : new String[] {"/src", "/src/a", "/src/b"}) {
      c.send(HttpRequest.newBuilder(uri.resolve(col)).method("MKCOL",
          HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (gated != null) {
      gated.open();
    }
    TestServers.stop(server);
  }

  private RawHttp copy(String dest, String version, String userAgent) throws Exception {
    return new RawHttp(uri, RawHttp.request("COPY", "/src", version, "Destination: " + dest,
        "User-Agent: " + userAgent));
  }

  @Test
  void slowCopy_102sThenFinal201_noneAfterIt() throws Exception {
    start(128, "", 4, 8);
    gated.close(true);
    try (RawHttp r = copy("/dst", "HTTP/1.1", "curl/8.0")) {
      r.readUntil(P102, 3);
      gated.open();
      String all = r.readAll();
      List<String> lines = RawHttp.statusLines(all);
      assertTrue(lines.size() >= 4, all);
      assertEquals("HTTP/1.1 201 Created", lines.get(lines.size() - 1), all);
      assertTrue(lines.subList(0, lines.size() - 1).stream().allMatch(P102::equals), all);
    }
  }

  @Test
  void http10_and_deniedClient_getNone_whileOthersDo() throws Exception {
    start(128, "", 4, 8);
    gated.close(true);
    try (RawHttp control = copy("/c1", "HTTP/1.1", "curl/8.0");
        RawHttp old = copy("/c2", "HTTP/1.0", "curl/8.0");
        RawHttp python = copy("/c3", "HTTP/1.1", "python-requests/2.31")) {
      // The control connection proves many 102 intervals have passed for all three.
      control.readUntil(P102, 20);
      gated.open();
      assertEquals(0, RawHttp.count(old.readAll(), "102 Processing"), old.text());
      assertEquals(0, RawHttp.count(python.readAll(), "102 Processing"), python.text());
      assertTrue(RawHttp.statusLines(old.text()).get(0).matches("HTTP/1\\.[01] 201 Created"),
          old.text());
      assertTrue(python.text().startsWith("HTTP/1.1 201"), python.text());
      control.readAll();
    }
  }

  @Test
  void perClientCap_respected() throws Exception {
    start(128, "capped-client=3", 4, 8);
    gated.close(true);
    try (RawHttp control = copy("/c1", "HTTP/1.1", "curl/8.0");
        RawHttp capped = copy("/c2", "HTTP/1.1", "capped-client/1.0")) {
      control.readUntil(P102, 20);
      gated.open();
      assertEquals(3, RawHttp.count(capped.readAll(), P102), capped.text());
      control.readAll();
    }
  }

  @Test
  void poolFull_503WithRetryAfter() throws Exception {
    start(128, "", 1, 1);
    gated.close(true);
    try (RawHttp running = copy("/c1", "HTTP/1.1", "python/none")) {
      assertTrue(gated.entered.await(30, TimeUnit.SECONDS)); // the one worker is busy
      try (RawHttp queued = copy("/c2", "HTTP/1.1", "python/none")) {
        awaitOperations(2); // the second waits in the queue of one
        String refused;
        try (RawHttp third = copy("/c3", "HTTP/1.1", "python/none")) {
          refused = third.readAll();
        }
        assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
        assertTrue(refused.contains("Retry-After: 5"), refused);
        gated.open();
        assertTrue(running.readAll().startsWith("HTTP/1.1 201"), running.text());
        assertTrue(queued.readAll().startsWith("HTTP/1.1 201"), queued.text());
      }
    }
  }

  /** Waits until the server lists {@code n} operations (bounded: fails after 30 s). */
  private void awaitOperations(int n) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String list = c.send(HttpRequest.newBuilder(uri.resolve("/.depthdav/operations")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (RawHttp.count(list, "\"id\"") >= n) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("never saw " + n + " operations");
  }

  /**
   * The JDK's own client (java.net.http, which fails a request past 8 interim responses) gets
   * its cap of 7 on an operation long enough for hundreds, and then its 201.
   */
  @Test
  void jdkHttpClient_getsItsCap_thenTheFinalResponse() throws Exception {
    start(1000, "", 4, 8);
    gated.close(true);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    var pending = client.sendAsync(HttpRequest.newBuilder(uri.resolve("/src"))
        .method("COPY", HttpRequest.BodyPublishers.noBody()).header("Destination", "/jdk")
        .build(), HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String ops = "";
    while (!ops.contains("\"processingSent\": 7") && System.nanoTime() < deadline) {
      ops = client.send(HttpRequest.newBuilder(uri.resolve("/.depthdav/operations")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
    assertTrue(ops.contains("\"processingSent\": 7"), ops);
    gated.open();
    assertEquals(201, pending.get(30, TimeUnit.SECONDS).statusCode());
  }

  @Test
  void hundredsOfRequests_102DueEveryMillisecond_noFailedExchange() throws Exception {
    start(1000, "", 4, 64);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int failures = 0;
    for (int i = 0; i < 300; i++) {
      HttpResponse<String> copy = client.send(HttpRequest.newBuilder(uri.resolve("/src"))
          .method("COPY", HttpRequest.BodyPublishers.noBody())
          .header("Destination", "/d" + i).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> find = client.send(HttpRequest.newBuilder(uri.resolve("/d" + i))
          .method("PROPFIND", HttpRequest.BodyPublishers.noBody())
          .header("Depth", "infinity").build(), HttpResponse.BodyHandlers.ofString());
      if (copy.statusCode() != 201 || find.statusCode() != 207
          || RawHttp.count(find.body(), "<D:response>") != 3) {
        failures++;
      }
    }
    assertEquals(0, failures);
  }
}
