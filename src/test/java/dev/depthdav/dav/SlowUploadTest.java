package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow uploads: a body below the minimum rate is cut off with 408 and nothing is stored, and
 * uploads take at most their share of the threads (503 with Retry-After past it), so a client
 * that trickles cannot stop the server from serving others.
 */
class SlowUploadTest {
  @TempDir Path data;
  DavServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(data, c -> c.withUploads(1024, 2), s -> s);
    http = new Http(server.uri());
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  private Socket open(String path, int length, int sendNow) throws Exception {
    Socket s = new Socket(server.uri().getHost(), server.uri().getPort());
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[sendNow]);
    out.flush();
    return s;
  }

  private static String answer(Socket s) throws Exception {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void oneBytePerSecond_408_nothingStored_othersServed() throws Exception {
    try (Socket s = open("/trickle", 100, 1)) {
      long start = System.nanoTime();
      OutputStream out = s.getOutputStream();
      String got = "";
      for (int i = 0; i < 20 && got.isEmpty(); i++) {
        assertEquals(207, http.send("PROPFIND", "/", null, "Depth", "0").statusCode());
        try {
          out.write('a');
          out.flush();
        } catch (java.io.IOException closed) {
          // the server closed after answering
        }
        s.setSoTimeout(1_000);
        try {
          got = new String(s.getInputStream().readNBytes(64), StandardCharsets.US_ASCII);
        } catch (java.net.SocketTimeoutException notYet) {
          // still reading slowly
        }
      }
      assertTrue(got.startsWith("HTTP/1.1 408"), got);
      assertTrue(System.nanoTime() - start < 15_000_000_000L, "cut off within seconds");
    }
    assertEquals(404, http.send("GET", "/trickle", null).statusCode());
  }

  @Test
  void moreUploadsThanTheirShare_503WithRetryAfter_theOthersFinish() throws Exception {
    Socket[] held = {open("/a", 4096, 2048), open("/b", 4096, 2048)};
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      HttpResponse<String> third;
      while (true) {
        // An upload that came after the probe of the last round was refused: start it again.
        for (int i = 0; i < held.length; i++) {
          if (held[i].getInputStream().available() > 0) {
            held[i].close();
            held[i] = open(i == 0 ? "/a" : "/b", 4096, 2048);
          }
        }
        third = http.send("PUT", "/c", "small");
        if (third.statusCode() == 503 || System.nanoTime() > deadline) {
          break;
        }
        http.send("DELETE", "/c", null); // it came before both uploads held their slots
      }
      assertEquals(503, third.statusCode(), third.body());
      assertEquals("5", third.headers().firstValue("Retry-After").orElse(""));
      for (Socket s : held) {
        s.getOutputStream().write(new byte[2048]);
        s.getOutputStream().flush();
        String got = answer(s);
        assertTrue(got.startsWith("HTTP/1.1 201"), got);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    assertEquals(201, http.send("PUT", "/c", "small").statusCode());
  }
}
