package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A client that leaves in the middle of a response (wrk at the end of a run, a browser tab
 * closed, a sync client killed) is something that happens, not a server error: one INFO line,
 * the response aborted, no ERROR with a stack trace and no 500 tried on a committed response,
 * and the server serves on.
 */
class ClientGoneTest {
  @TempDir Path data;
  DavServer server;
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void listen() {
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void stop() throws Exception {
    root.detachAppender(log);
    TestServers.stop(server);
  }

  @Test
  void clientResetsDuringALargeGet_oneInfoLine_nothingLouder_serverServesOn() throws Exception {
    server = TestServers.start(data);
    Http http = new Http(server.uri());
    int size = 32 << 20; // more than the socket buffers of both ends hold
    assertEquals(201, http.send("PUT", "/big.bin", "x".repeat(size)).statusCode());
    URI u = server.uri();
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.getOutputStream().write(("GET /big.bin HTTP/1.1\r\nHost: " + u.getHost() + ":"
          + u.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String start = new String(s.getInputStream().readNBytes(1024), StandardCharsets.ISO_8859_1);
      assertTrue(start.startsWith("HTTP/1.1 200 "), start);
      s.setSoLinger(true, 0); // closed with a reset, as when a client is killed
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (events().stream().noneMatch(e -> e.getLevel() == Level.INFO
        && e.getLoggerName().endsWith("MiltonSetup")
        && e.getFormattedMessage().startsWith("GET /big.bin: "))) {
      assertTrue(System.nanoTime() < deadline, "the server never noticed the client leave");
      Thread.sleep(50);
    }
    Thread.sleep(500); // whatever milton or Jetty would log after it
    List<String> loud = new ArrayList<>();
    for (ILoggingEvent e : events()) {
      if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
        loud.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage());
      }
    }
    assertEquals(List.of(), loud);
    assertEquals(size, http.send("GET", "/big.bin", null).body().length());
  }

  /** A copy of what was logged so far (the appender adds under its own lock). */
  private List<ILoggingEvent> events() {
    synchronized (log) {
      return new ArrayList<>(log.list);
    }
  }
}
