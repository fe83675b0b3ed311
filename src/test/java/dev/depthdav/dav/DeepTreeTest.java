package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.store.Node;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.Tx;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.ForwardingStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees deeper than any stack: a chain of nested collections is listed, copied, deleted and
 * checked whole; and a listing that fails after its first byte is cut off visibly, never ended
 * as if complete.
 */
class DeepTreeTest {
  private static final int LEVELS = 3_000;
  @TempDir Path data;

  private void buildChain() {
    try (JdbcStore store = JdbcStore.open(data)) {
      Instant now = Instant.now();
      store.write(tx -> {
        Node n = tx.createCollection(tx.root().id(), "chain", now);
        for (int i = 1; i < LEVELS; i++) {
          n = tx.createCollection(n.id(), "c", now);
        }
        return null;
      });
    }
  }

  @Test
  void chainOf3000_propfindInfinityListsEveryLevel_copyDeleteAndCheckWork() throws Exception {
    buildChain();
    DavServer server = TestServers.start(data);
    try {
      Http http = new Http(server.uri());
      HttpResponse<String> r = http.send("PROPFIND", "/chain/", null, "Depth", "infinity");
      assertEquals(207, r.statusCode());
      assertEquals(LEVELS, r.body().split("<D:response>", -1).length - 1);
      assertTrue(r.body().trim().endsWith("</D:multistatus>"));
      assertEquals(201, http.send("COPY", "/chain/", null, "Destination",
          http.uri("/copy/").toString()).statusCode());
      HttpResponse<String> copy = http.send("PROPFIND", "/copy/", null, "Depth", "infinity");
      assertEquals(LEVELS, copy.body().split("<D:response>", -1).length - 1);
      assertEquals(204, http.send("DELETE", "/chain/", null).statusCode());
      TestServers.store(server).purgeNow();
    } finally {
      TestServers.stop(server);
    }
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      assertEquals(List.of(), JdbcCheck.run(store).problems());
    }
  }

  @Test
  void failureAfterTheFirstByte_connectionCutOff_notAWellFormedEnd() throws Exception {
    try (JdbcStore store = JdbcStore.open(data)) {
      Instant now = Instant.now();
      store.write(tx -> {
        Node d = tx.createCollection(tx.root().id(), "wide", now);
        for (int i = 0; i < 2_000; i++) {
          tx.createCollection(d.id(), "m" + i, now);
        }
        return null;
      });
    }
    AtomicInteger pages = new AtomicInteger();
    DavServer server = TestServers.start(data, c -> c, s -> new FailingPages(s, pages));
    try {
      HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          server.uri().resolve("/wide/")).method("PROPFIND", HttpRequest.BodyPublishers.noBody())
          .header("Depth", "1").build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(207, r.statusCode());
      String got;
      boolean cut = false;
      StringBuilder b = new StringBuilder();
      try (InputStream in = r.body()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        cut = true; // what a client must see: the body did not end properly
      }
      got = b.toString();
      assertTrue(pages.get() >= 2, "the failure happened after the first page");
      assertTrue(cut, "the truncated listing ended as if complete");
      assertFalse(got.endsWith("</D:multistatus>"), got.substring(Math.max(0, got.length() - 80)));
    } finally {
      TestServers.stop(server);
    }
  }

  /** A store whose listings fail from the second page on, as a failing disk might. */
  private static final class FailingPages extends ForwardingStore {
    private final AtomicInteger pages;

    FailingPages(Store inner, AtomicInteger pages) {
      super(inner);
      this.pages = pages;
    }

    @Override
    public <T> T read(Work<T> work) {
      return inner.read(tx -> work.run(failing(tx)));
    }

    private Tx failing(Tx tx) {
      return (Tx) java.lang.reflect.Proxy.newProxyInstance(Tx.class.getClassLoader(),
          new Class<?>[] {Tx.class}, (proxy, method, args) -> {
            if (method.getName().equals("page") && pages.incrementAndGet() >= 2) {
              throw new StoreException("the disk failed while listing");
            }
            try {
              return method.invoke(tx, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
