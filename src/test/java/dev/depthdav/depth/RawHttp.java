package dev.depthdav.depth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP exchange written as text over a socket and read back as bytes, as Jetty's own tests
 * do: the only way to see interim (1xx) responses, which client libraries swallow.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

  RawHttp(URI server, String request) throws IOException {
    socket = new Socket(server.getHost(), server.getPort());
    socket.setSoTimeout(60_000);
    in = socket.getInputStream();
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** A request with no body and {@code Connection: close}. */
  static String request(String method, String path, String version, String... headers) {
    StringBuilder b = new StringBuilder(method + " " + path + " " + version + "\r\n");
    b.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** Reads until {@code needle} has appeared {@code times} times in what was received. */
  void readUntil(String needle, int times) throws IOException {
    while (count(text(), needle) < times) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before " + times + " x '" + needle + "':\n"
            + text());
      }
      seen.write(b);
    }
  }

  /** Reads to the end of the connection and returns everything received. */
  String readAll() throws IOException {
    in.transferTo(seen);
    return text();
  }

  String text() {
    return seen.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status lines received, in order (interim ones included). */
  static List<String> statusLines(String raw) {
    List<String> out = new ArrayList<>();
    for (String line : raw.split("\r\n")) {
      if (line.startsWith("HTTP/1.")) {
        out.add(line);
      }
    }
    return out;
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
