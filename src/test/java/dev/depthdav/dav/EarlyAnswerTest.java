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
 * A request the servlet answers before any method reads its body (a method it does not have)
 * keeps its connection, however late the small body comes: a client reusing the
 * connection gets the answer to its next request, not a reset (RFC 9112 §9.6; the same for
 * refusals in {@link SecurityTest}). Errors of the methods themselves say
 * {@code Connection: close} and read the body first (Exchange.fail).
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
    URI u = server.uri();
    String host = "Host: " + u.getHost() + ":" + u.getPort() + "\r\n";
    List<String[]> early = List.of(
        new String[] {"FROB /x", "501"},
        new String[] {"POST /x", "405"},
        new String[] {"FROB /y", "501"});
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (String[] request : early) {
        byte[] body = "y1234".getBytes(StandardCharsets.US_ASCII);
        RawHttp.sendLate(out, request[0] + " HTTP/1.1\r\n" + host + "Destination: " + u
            + "y\r\nContent-Length: " + body.length + "\r\n", body, 100);
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
