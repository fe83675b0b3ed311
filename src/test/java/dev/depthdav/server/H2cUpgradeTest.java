package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP/1.1 request that asks to upgrade to h2c (RFC 7540 §3.2) while it carries a body: the
 * body must arrive in full before the connection may switch. Jetty 12.1's h2c factory only
 * declines an upgrade when Content-Length is positive, so a chunked PUT with Expect:
 * 100-continue (what curl --http2 -T - sends) was switched before its body was read and stored
 * empty, with a 201. The server now answers such a request over HTTP/1.1 and reads its body.
 */
class H2cUpgradeTest {
  @TempDir Path data;
  DavServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(data);
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void chunkedPutAskingForH2c_isAnsweredOverHttp11_withItsBodyStored() throws Exception {
    try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("PUT /chunked HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nExpect: 100-continue\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String interim = head(in);
      assertTrue(interim.startsWith("HTTP/1.1 100 "), "continue, not an upgrade: " + interim);
      out.write("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = head(in);
      assertTrue(answer.startsWith("HTTP/1.1 201 "), answer);
    }
    HttpResponse<String> got = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.uri().resolve("/chunked")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, got.statusCode());
    assertEquals("hello world", got.body());
  }

  @Test
  void requestWithoutBody_stillUpgrades() throws Exception {
    try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("OPTIONS / HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = head(s.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 101 "), answer);
    }
  }

  /** Reads one response head, up to and including its blank line. */
  private static String head(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    return b.toString();
  }
}
