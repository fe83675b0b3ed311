package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.testing.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --redirect-http: the plain port sends every request to https, raw HTTP on a socket. */
class TlsRedirectTest {
  @TempDir Path dir;
  private TestCa ca;
  private DavServer server;
  private int plainPort;

  @BeforeEach
  void start() throws Exception {
    ca = TestCa.create("depthdav test CA");
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      plainPort = probe.getLocalPort(); // 0 means off, so a free port is found first
    }
    TlsSettings pem = TlsFixture.writePem(dir, ca.server());
    TlsSettings tls = new TlsSettings(pem.cert(), pem.key(), null, "", null, plainPort,
        Duration.ofMinutes(1));
    Files.createDirectories(dir.resolve("data"));
    server = TestServers.start(dir.resolve("data"), c -> c.withTls(tls), s -> s);
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  private String exchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", plainPort)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void get_plainPort_308ToHttpsWithHostPathAndQuery() throws Exception {
    String response = exchange("""
        GET /docs/a%20b.txt?x=1&y=2 HTTP/1.1
        Host: dav.example.org:PORT
        Connection: close

        """.replace("PORT", Integer.toString(plainPort)));
    assertTrue(response.startsWith("HTTP/1.1 308 "), response);
    assertTrue(response.contains("\r\nLocation: https://dav.example.org:" + server.port()
        + "/docs/a%20b.txt?x=1&y=2\r\n"), response);
  }

  @Test
  void put_plainPort_308AndStoresNothing() throws Exception {
    String response = exchange("""
        PUT /new.txt HTTP/1.1
        Host: 127.0.0.1
        Content-Length: 5
        Connection: close

        hello""");
    assertTrue(response.startsWith("HTTP/1.1 308 "), response);
    assertTrue(response.contains("\r\nLocation: https://127.0.0.1:" + server.port()
        + "/new.txt\r\n"), response);
    assertEquals(404, TlsFixture.send(server, TlsFixture.trusting(ca),
        HttpClient.Version.HTTP_1_1, "GET", "/new.txt").statusCode());
  }

  @Test
  void get_tlsPort_servedNotRedirected() throws Exception {
    assertEquals(200, TlsFixture.send(server, TlsFixture.trusting(ca),
        HttpClient.Version.HTTP_1_1, "GET").statusCode());
    assertEquals(200, TlsFixture.send(server, TlsFixture.trusting(ca),
        HttpClient.Version.HTTP_2, "GET").statusCode());
  }
}
