package dev.depthdav.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for tests that need what a client library hides: a body sent
 * after a pause behind its headers, several requests on one connection, the raw answer.
 */
public final class RawHttp {
  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  private RawHttp() {}

  /**
   * Sends {@code head} (request line and headers, each ending in CRLF; the blank line is added),
   * then, after {@code pauseMs}, {@code body}: the server has the headers alone for a while.
   */
  public static void sendLate(OutputStream out, String head, byte[] body, long pauseMs)
      throws IOException, InterruptedException {
    out.write((head + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    Thread.sleep(pauseMs);
    out.write(body);
    out.flush();
  }

  /**
   * One response with a Content-Length body (or none), read off the socket; it ends in
   * "&lt;closed&gt;" when the server closed the connection before the end of the headers.
   */
  public static String response(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head + "<closed>";
      }
      head.append((char) b);
    }
    Matcher m = LENGTH.matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.UTF_8);
  }
}
