package dev.depthdav.dav;

import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.lock.Lock;
import dev.depthdav.lock.LockStore;
import dev.depthdav.store.DavPath;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Administration outside the WebDAV namespace, under the reserved top-level name
 * {@code /.depthdav/} (no resource can be created there):
 *
 * <ul>
 *   <li>{@code GET /.depthdav/locks}: the live locks, as JSON.
 *   <li>{@code DELETE /.depthdav/locks/<token>}: breaks one lock (the token percent-encoded).
 * </ul>
 *
 * There is no authentication yet, so these are as open as the store itself: bind to loopback.
 */
final class AdminEndpoint {
  static final String RESERVED = ".depthdav";
  private final LockStore locks;
  private final InstantSource clock;

  AdminEndpoint(LockStore locks, InstantSource clock) {
    this.locks = locks;
    this.clock = clock;
  }

  /** Whether {@code path} lies in the reserved administration space. */
  static boolean owns(DavPath path) {
    return !path.isRoot() && path.names().get(0).equals(RESERVED);
  }

  void handle(String method, DavPath path, HttpServletResponse resp) throws IOException {
    List<String> n = path.names();
    if (n.size() >= 2 && n.get(1).equals("locks")) {
      if (n.size() == 2 && (method.equals("GET") || method.equals("HEAD"))) {
        json(resp, 200, list(clock.instant()));
        return;
      }
      if (n.size() == 3 && method.equals("DELETE")) {
        boolean removed = locks.remove(n.get(2));
        json(resp, removed ? 200 : 404, "{\"broken\": " + removed + ", \"token\": "
            + quote(n.get(2)) + "}\n");
        return;
      }
      json(resp, 405, "{\"error\": \"use GET /.depthdav/locks or DELETE /.depthdav/locks/TOKEN\"}\n");
      return;
    }
    json(resp, 404, "{\"error\": \"/" + RESERVED + "/ is reserved for administration\"}\n");
  }

  private String list(Instant now) {
    StringBuilder b = new StringBuilder("{\"locks\": [");
    String sep = "\n  ";
    for (Lock l : locks.all(now)) {
      b.append(sep).append("{\"token\": ").append(quote(l.token()))
          .append(", \"root\": ").append(quote(Hrefs.encode(DavPath.parse(l.root()), false)))
          .append(", \"scope\": \"").append(l.exclusive() ? "exclusive" : "shared")
          .append("\", \"depth\": \"").append(l.infinite() ? "infinity" : "0")
          .append("\", \"owner\": ").append(l.ownerXml() == null ? "null" : quote(l.ownerXml()))
          .append(", \"created\": \"").append(l.created())
          .append("\", \"expires\": \"").append(l.expires()).append("\"}");
      sep = ",\n  ";
    }
    return b.append("\n]}\n").toString();
  }

  private static void json(HttpServletResponse resp, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json; charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }
}
