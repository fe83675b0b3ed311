package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, on a small file system made for the test (a loop-mounted ext4 image; needs root,
 * which CI has): writes get 507 with a body that says so, reads keep working, nothing
 * acknowledged is lost across a SIGKILL and restart, and writes work again once space is freed.
 */
class DiskFullTest {
  private static final String RESERVE = Integer.toString(4 << 20);
  @TempDir Path dir;
  private Path mount;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final Random rnd = new Random(42);

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "loop mounts need root (CI runs as root)");
    mount = dir.resolve("small");
    Files.createDirectories(mount);
    Path image = dir.resolve("small.img");
    run("truncate", "-s", "40M", image.toString());
    run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString()); // no blocks kept for root
    run("mount", "-o", "loop", image.toString(), mount.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void blobsFillTheDisk_507_nothingAcknowledgedLost_writesResumeOnceFreed() throws Exception {
    Path data = mount.resolve("data");
    Map<String, String> acked = new LinkedHashMap<>();
    HttpResponse<byte[]> refused = null;
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", RESERVE)) {
      URI uri = server.uri();
      for (int i = 0; i < 100 && refused == null; i++) {
        byte[] body = random(1 << 20);
        HttpResponse<byte[]> r = send(uri, "PUT", "/f" + i, body, Map.of());
        if (r.statusCode() == 201) {
          acked.put("/f" + i, sha(body));
        } else {
          refused = r;
        }
      }
      assertTrue(refused != null, "the disk never filled");
      assertEquals(507, refused.statusCode(), text(refused));
      assertTrue(text(refused).contains("insufficient storage"), text(refused));
      // No room for 1 MiB; small files still fit, until there is no room at all.
      for (int i = 0; i < 10_000 && refused.statusCode() != 507 || i == 0; i++) {
        byte[] body = random(4096);
        refused = send(uri, "PUT", "/s" + i, body, Map.of());
        if (refused.statusCode() == 201) {
          acked.put("/s" + i, sha(body));
        }
      }
      assertEquals(507, refused.statusCode(), text(refused));
      // A 4 KiB file may no longer fit where a folder (a database row) still does: fill with
      // folders too, so that the disk has no room at all whatever the block layout left.
      int folders = 0;
      while (folders < 10_000
          && send(uri, "MKCOL", "/fill" + folders + "/", null, Map.of()).statusCode() == 201) {
        folders++;
      }
      assertTrue(folders < 10_000, "folders were never refused");
      assertRefusedWrites(uri);
      assertReads(uri, acked);
      server.kill();
    }
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", RESERVE)) {
      URI uri = server.uri();
      assertReads(uri, acked);
      // Deleting needs no room, and the purger frees the content soon after.
      for (String gone : List.copyOf(acked.keySet()).subList(0, 4)) {
        assertEquals(204, send(uri, "DELETE", gone, null, Map.of()).statusCode(), gone);
        acked.remove(gone);
      }
      byte[] body = random(1 << 20);
      assertEquals(201, eventually(uri, "PUT", "/after", body), "writes resume");
      acked.put("/after", sha(body));
      server.kill();
    }
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", RESERVE)) {
      assertReads(server.uri(), acked);
    }
    assertCheckPasses(data);
    System.out.printf("disk full (blobs): %d files acknowledged (1 MiB, then 4 KiB ones) until"
        + " every write got 507; all present after SIGKILL and restart; writes resumed after"
        + " DELETE%n", acked.size() + 4 - 1);
  }

  @Test
  void databaseCannotGrow_507_nothingAcknowledgedLost_writesResumeOnceFreed() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.createSymbolicLink(data.resolve("db"), mount); // only the database on the small disk
    Map<String, String> props = new LinkedHashMap<>();
    Path filler = mount.resolve("filler");
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", RESERVE)) {
      URI uri = server.uri();
      assertEquals(201, send(uri, "PUT", "/x", bytes("x"), Map.of()).statusCode());
      for (int i = 0; i < 5; i++) {
        String value = "v" + i + "-" + "z".repeat(20_000);
        assertEquals(207, proppatch(uri, "p" + i, value).statusCode());
        props.put("p" + i, value);
      }
      fill(filler); // another program takes the disk
      HttpResponse<byte[]> r = proppatch(uri, "late", "never");
      assertEquals(507, r.statusCode(), text(r));
      assertTrue(text(r).contains("insufficient storage"), text(r));
      assertRefusedWrites(uri);
      assertEquals(507, send(uri, "PUT", "/y", bytes("y"), Map.of()).statusCode());
      assertEquals(200, send(uri, "GET", "/x", null, Map.of()).statusCode(), "reads work");
      assertProps(uri, props);
      Files.delete(filler);
      assertEquals(207, proppatch(uri, "after", "freed").statusCode(), "writes resume");
      props.put("after", "freed");
      server.kill();
    }
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", RESERVE)) {
      assertProps(server.uri(), props);
      assertEquals(404, send(server.uri(), "GET", "/y", null, Map.of()).statusCode());
    }
    assertCheckPasses(data);
  }

  @Test
  void databaseFailsToWriteItsFile_507_reopened_readsWork_nothingAcknowledgedLost()
      throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.createSymbolicLink(data.resolve("db"), mount);
    Map<String, String> props = new LinkedHashMap<>();
    Path filler = mount.resolve("filler");
    // No reserve: the room check passes and H2's own write meets the full disk.
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", "0")) {
      URI uri = server.uri();
      assertEquals(201, send(uri, "PUT", "/x", bytes("x"), Map.of()).statusCode());
      for (int i = 0; i < 3; i++) {
        assertEquals(207, proppatch(uri, "p" + i, "small" + i).statusCode());
        props.put("p" + i, "small" + i);
      }
      Path margin = mount.resolve("margin");
      fill(margin, 150 << 10);
      fill(filler);
      Files.delete(margin); // about 150 KiB free: less than the next chunk needs
      byte[] noise = random(700_000);
      HttpResponse<byte[]> r = proppatch(uri, "big",
          java.util.Base64.getEncoder().encodeToString(noise));
      assertEquals(507, r.statusCode(), text(r));
      assertTrue(text(r).contains("could not write its file"), text(r));
      assertEquals(200, send(uri, "GET", "/x", null, Map.of()).statusCode(), "reads work");
      assertProps(uri, props);
      Files.delete(filler);
      assertEquals(207, proppatch(uri, "after", "freed").statusCode(), "writes resume");
      props.put("after", "freed");
      server.kill();
    }
    try (ServerProcess server = ServerProcess.start(data, "--min-free-space", "0")) {
      assertProps(server.uri(), props);
      String all = text(send(server.uri(), "PROPFIND", "/x", null, Map.of("Depth", "0")));
      assertTrue(!all.contains(":big"), "the refused property is absent");
    }
    assertCheckPasses(data);
  }

  /** Every kind of growing write is refused with 507 while the disk is full. */
  private void assertRefusedWrites(URI uri) throws Exception {
    assertEquals(507, send(uri, "MKCOL", "/more/", null, Map.of()).statusCode(), "MKCOL");
    assertEquals(507, send(uri, "PUT", "/tiny", bytes("t"), Map.of()).statusCode(), "PUT");
    String lock = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope>"
        + "<D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";
    assertEquals(507, send(uri, "LOCK", "/locked", bytes(lock), Map.of()).statusCode(), "LOCK");
  }

  private void assertReads(URI uri, Map<String, String> acked) throws Exception {
    for (Map.Entry<String, String> e : acked.entrySet()) {
      HttpResponse<byte[]> r = send(uri, "GET", e.getKey(), null, Map.of());
      assertEquals(200, r.statusCode(), e.getKey());
      assertEquals(e.getValue(), sha(r.body()), e.getKey());
    }
  }

  private void assertProps(URI uri, Map<String, String> props) throws Exception {
    String body = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
    String seen = text(send(uri, "PROPFIND", "/x", bytes(body), Map.of("Depth", "0")));
    props.forEach((name, value) -> assertTrue(seen.contains(">" + value + "<"), name));
  }

  private static void assertCheckPasses(Path data) throws IOException {
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      assertEquals(List.of(), JdbcCheck.run(store).problems());
    }
  }

  private HttpResponse<byte[]> proppatch(URI uri, String name, String value) throws Exception {
    String body = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:L=\"urn:l\">"
        + "<D:set><D:prop><L:" + name + ">" + value + "</L:" + name + "></D:prop></D:set>"
        + "</D:propertyupdate>";
    return send(uri, "PROPPATCH", "/x", bytes(body), Map.of());
  }

  /** Retries a write until the purger has freed the space, for up to 60 s. */
  private int eventually(URI uri, String method, String path, byte[] body) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int status;
    do {
      status = send(uri, method, path, body, Map.of()).statusCode();
      if (status == 507) {
        Thread.sleep(250);
      }
    } while (status == 507 && System.nanoTime() < deadline);
    return status;
  }

  /** Writes to {@code file} until the file system refuses. */
  private static void fill(Path file) throws IOException {
    fill(file, Long.MAX_VALUE);
  }

  /** Writes up to {@code bytes} to {@code file}, or until the file system refuses. */
  private static void fill(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[1 << 16];
    long left = bytes;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        left -= n;
      }
    } catch (IOException full) {
      // full: that was the point
    }
  }

  private HttpResponse<byte[]> send(URI uri, String method, String path, byte[] body,
      Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private byte[] random(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }
}
