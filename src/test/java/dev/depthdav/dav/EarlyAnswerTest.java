package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.testing.RawHttp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error answer keeps its connection when the body was read or is small: one the servlet
 * gives before any method reads the body (a method it does not have), and errors of the methods
 * after the body or before a small one, however late that comes. A client reusing the
 * connection gets the answer to its next request, not a reset (RFC 9112 §9.6; the same for
 * refusals in {@link SecurityTest}), and needs no new connection (and TLS handshake) after an
 * error.
 */
class EarlyAnswerTest {
  @TempDir Path data;
  DavServer server;

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void earlyAnswers_bodyArrivingAfterTheHeaders_answered_connectionKept() throws Exception {
    server = TestServers.start(data);
    onOneConnection(List.of(
        new String[] {"FROB /x", "501"},
        new String[] {"POST /x", "405"},
        new String[] {"FROB /y", "501"}), 100);
  }

  @Test
  void errorsOfTheMethods_afterTheBodyOrBeforeASmallOne_connectionKept() throws Exception {
    server = TestServers.start(data);
    onOneConnection(List.of(
        new String[] {"PUT /missing/f", "409"}, // the body was stored, then the parent missed
        new String[] {"DELETE /missing", "404"}, // answered before the body was read
        new String[] {"MOVE /missing", "404"},
        new String[] {"PUT /missing/g", "409"}), 100);
    assertEquals(404, new Http(server.uri()).send("GET", "/missing/f", null).statusCode());
  }

  @Test
  void anErrorBeforeALargeBody_saysConnectionClose() throws Exception {
    server = TestServers.start(data);
    URI u = server.uri();
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      byte[] body = new byte[DavServlet.DRAINED + 1];
      RawHttp.sendLate(s.getOutputStream(), "DELETE /missing HTTP/1.1\r\nHost: " + u.getHost()
          + ":" + u.getPort() + "\r\nContent-Length: " + body.length + "\r\n", body, 100);
      String r = RawHttp.response(s.getInputStream());
      assertTrue(r.startsWith("HTTP/1.1 404 "), r);
      assertTrue(r.toLowerCase(Locale.ROOT).contains("connection: close"), r);
    }
  }

  /**
   * Sends each request (method and path, then the status it must get) on one connection, its
   * small body {@code pauseMs} behind its headers, and then a GET: every answer must leave the
   * connection open, and the GET must be answered on it.
   */
  private void onOneConnection(List<String[]> requests, long pauseMs) throws Exception {
    URI u = server.uri();
    String host = "Host: " + u.getHost() + ":" + u.getPort() + "\r\n";
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (String[] request : requests) {
        byte[] body = "y1234".getBytes(StandardCharsets.US_ASCII);
        RawHttp.sendLate(out, request[0] + " HTTP/1.1\r\n" + host + "Destination: " + u
            + "y\r\nContent-Length: " + body.length + "\r\n", body, pauseMs);
        String r = RawHttp.response(in);
        assertTrue(r.startsWith("HTTP/1.1 " + request[1] + " "), request[0] + ": " + r);
        assertFalse(r.toLowerCase(Locale.ROOT).contains("connection: close"),
            request[0] + ": " + r);
      }
      out.write(("GET /missing HTTP/1.1\r\n" + host + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String next = RawHttp.response(in);
      assertTrue(next.startsWith("HTTP/1.1 404 "), "the next request on that connection: " + next);
    }
  }
}
