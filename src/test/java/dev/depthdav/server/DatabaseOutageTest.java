package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import dev.depthdav.testing.Postgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under a running server: requests get 503 with Retry-After (never a 500,
 * never a hang), nothing acknowledged is lost, and once the database is back the server serves
 * again by itself.
 */
class DatabaseOutageTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void databaseDown_503WithRetryAfter_thenServesAgainByItself() throws Exception {
    try (Postgres pg = Postgres.start()) {
      JdbcStore store = JdbcStore.openPostgres(pg.createDatabase("outage"), pg.user(), "",
          dir.resolve("blobs"), StoreSettings.DEFAULTS, true);
      DavServer server = DavServer.start(Config.defaults(0, "127.0.0.1", dir.resolve("data")),
          store, new JdbcUsers(store));
      try {
        assertEquals(201, send(server, "PUT", "/kept", "acknowledged").statusCode());
        pg.stopServer();
        HttpResponse<String> put = send(server, "PUT", "/during", "refused");
        assertEquals(503, put.statusCode(), put.body());
        assertTrue(put.headers().firstValue("Retry-After").isPresent());
        assertTrue(put.body().contains("storage is unavailable"), put.body());
        assertEquals(503, send(server, "GET", "/kept", null).statusCode());
        assertEquals(503, send(server, "PROPFIND", "/", null).statusCode());
        pg.startServer();
        int status = 0;
        for (int i = 0; i < 60 && status != 201; i++) {
          status = send(server, "PUT", "/after", "back").statusCode();
          if (status != 201) {
            Thread.sleep(500); // the pool replaces the connections the restart broke
          }
        }
        assertEquals(201, status);
        assertEquals("acknowledged", send(server, "GET", "/kept", null).body());
        assertEquals(404, send(server, "GET", "/during", null).statusCode());
      } finally {
        server.close();
        store.close();
      }
    }
  }

  private HttpResponse<String> send(DavServer s, String method, String path, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(s.uri().resolve(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).header("Depth", "0").build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
