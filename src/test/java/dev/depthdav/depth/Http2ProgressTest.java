package dev.depthdav.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over HTTP/2 (h2c), each 102 is a HEADERS frame that carries the operation's progress. */
class Http2ProgressTest {
  @TempDir Path data;

  @Test
  void h2c_102sCarryProgressHeader_thenFinal201() throws Exception {
    Processing p = new Processing(true, Duration.ofMillis(1), Duration.ofMillis(5), 128,
        ClientPolicy.parse("", 0));
    GatedStore[] gated = new GatedStore[1];
    DavServer server = TestServers.start(data, c -> c.withProcessing(p),
        s -> gated[0] = new GatedStore(s));
    HTTP2Client client = new HTTP2Client();
    try {
      URI uri = server.uri();
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/src")).method("MKCOL",
          HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
      gated[0].close(true);
      client.start();
      Session session = client.connect(new InetSocketAddress(uri.getHost(), uri.getPort()),
          new Session.Listener() {}).get(10, TimeUnit.SECONDS);
      List<Integer> statuses = new CopyOnWriteArrayList<>();
      List<String> progress = new CopyOnWriteArrayList<>();
      CountDownLatch threeInterims = new CountDownLatch(3);
      CountDownLatch done = new CountDownLatch(1);
      MetaData.Request request = new MetaData.Request("COPY", HttpURI.from(uri.resolve("/src")
          .toString()), HttpVersion.HTTP_2, HttpFields.build().put("Destination", "/dst")
          .put("User-Agent", "curl/8.0"));
      session.newStream(new HeadersFrame(request, null, true), new Stream.Listener() {
        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
          if (frame.getMetaData() instanceof MetaData.Response r) {
            statuses.add(r.getStatus());
            if (r.getStatus() == 102) {
              progress.add(r.getHttpFields().get("Progress"));
              threeInterims.countDown();
            } else {
              done.countDown(); // the final response's headers
            }
          }
        }
      }).get(10, TimeUnit.SECONDS);
      assertTrue(threeInterims.await(30, TimeUnit.SECONDS), "no 102s: " + statuses);
      // Once the worker is inside the copy, the next 102s must say so.
      assertTrue(gated[0].entered.await(30, TimeUnit.SECONDS));
      int seen = progress.size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (progress.size() < seen + 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      // Taken before the gate opens: after it, a 102 may still go out saying the copy is done.
      List<String> whileCopying = List.copyOf(progress);
      assertTrue(whileCopying.size() >= seen + 2, "no 102s while copying: " + whileCopying);
      gated[0].open();
      assertTrue(done.await(30, TimeUnit.SECONDS), "no final response: " + statuses);
      assertEquals(201, statuses.get(statuses.size() - 1));
      assertTrue(statuses.subList(0, statuses.size() - 1).stream().allMatch(s -> s == 102));
      assertTrue(progress.stream().allMatch(h -> h != null && h.startsWith("phase=")), "" + progress);
      // The first may still say "queued"; once a worker has it, the phase is the copy's.
      assertTrue(whileCopying.get(whileCopying.size() - 1).startsWith("phase=copying; done=0"),
          "" + whileCopying);
    } finally {
      gated[0].open();
      client.stop();
      TestServers.stop(server);
    }
  }
}
