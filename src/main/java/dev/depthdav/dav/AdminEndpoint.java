package dev.depthdav.dav;

import dev.depthdav.auth.Principal;
import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.depth.OperationJournal;
import dev.depthdav.lock.Lock;
import dev.depthdav.store.Store;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.OperationLog.Record;
import dev.depthdav.store.OperationLog.Result;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;

/**
 * Administration outside the WebDAV namespace, under the reserved top-level name
 * {@code /.depthdav/} (no resource can be created there):
 *
 * <ul>
 *   <li>{@code GET /.depthdav/locks}: the live locks, as JSON: an administrator's list has
 *       every lock, anyone else's their own.
 *   <li>{@code DELETE /.depthdav/locks/<token>}: breaks one lock (the token percent-encoded):
 *       one's own, or any for an administrator; 403 otherwise.
 *   <li>{@code GET /.depthdav/operations}: running and recent depth operations, as JSON (one's
 *       own; an administrator's, all); {@code GET /.depthdav/operations/<id>}: one of them;
 *       {@code .../<id>/result}: the status, headers and body of a {@code Prefer: respond-async}
 *       operation once it is done. An operation of someone else is 404 to a non-administrator,
 *       and ids are random, so they cannot be guessed either. Every node sharing a store
 *       answers for the operations of all of them.
 * </ul>
 */
final class AdminEndpoint {
  static final String RESERVED = ".depthdav";
  private final Store store;
  private final OperationJournal journal;
  private final InstantSource clock;

  AdminEndpoint(Store store, OperationJournal journal, InstantSource clock) {
    this.store = store;
    this.journal = journal;
    this.clock = clock;
  }

  /** Whether {@code path} lies in the reserved administration space. */
  static boolean owns(DavPath path) {
    return !path.isRoot() && path.names().get(0).equals(RESERVED);
  }

  void handle(String method, DavPath path, Principal who, HttpServletResponse resp)
      throws IOException {
    List<String> n = path.names();
    if (n.size() >= 2 && n.get(1).equals("operations") && method.equals("GET")) {
      operations(n, who, resp);
      return;
    }
    if (n.size() >= 2 && n.get(1).equals("locks")) {
      if (n.size() == 2 && (method.equals("GET") || method.equals("HEAD"))) {
        json(resp, 200, list(who, clock.instant()));
        return;
      }
      if (n.size() == 3 && method.equals("DELETE")) {
        String token = n.get(2);
        // Looked at and removed in one transaction: the lock checked is the lock removed.
        Boolean removed = store.writeToFree(tx -> {
          Lock l = tx.locks().get(token, clock.instant()).orElse(null);
          if (l != null && !sees(who, l.principal())) {
            return null;
          }
          return l != null && tx.locks().remove(token);
        });
        if (removed == null) {
          json(resp, 403, "{\"error\": \"only an administrator breaks the lock of another user\"}\n");
          return;
        }
        json(resp, removed ? 200 : 404, "{\"broken\": " + removed + ", \"token\": "
            + quote(n.get(2)) + "}\n");
        return;
      }
      json(resp, 405, "{\"error\": \"use GET /.depthdav/locks or DELETE /.depthdav/locks/TOKEN\"}\n");
      return;
    }
    json(resp, 404, "{\"error\": \"/" + RESERVED + "/ is reserved for administration\"}\n");
  }

  /**
   * {@code /.depthdav/operations}: running and recent depth operations; {@code /ID}: one. Any
   * node answers for the operations of every node sharing its store (OperationJournal).
   */
  private void operations(List<String> n, Principal who, HttpServletResponse resp)
      throws IOException {
    Instant now = clock.instant();
    if (n.size() == 2) {
      StringBuilder b = new StringBuilder("{\"operations\": [");
      String sep = "\n  ";
      for (Record op : journal.list()) {
        if (!sees(who, op.owner())) {
          continue;
        }
        b.append(sep).append(json(op, now));
        sep = ",\n  ";
      }
      json(resp, 200, b.append("\n]}\n").toString());
      return;
    }
    Record op = n.size() <= 4 ? journal.find(n.get(2)).orElse(null) : null;
    if (op != null && !sees(who, op.owner())) {
      op = null; // as if it did not exist: another's operation is not even confirmed
    }
    if (op == null || n.size() == 4 && !n.get(3).equals("result")) {
      json(resp, 404, "{\"error\": \"no such operation\"}\n");
    } else if (n.size() == 4) {
      result(op, resp);
    } else {
      json(resp, 200, json(op, now) + "\n");
    }
  }

  /** The outcome of a respond-async operation: its status, headers and body as captured. */
  private void result(Record op, HttpServletResponse resp) throws IOException {
    if (!op.over()) {
      json(resp, 409, "{\"error\": \"the operation has not finished\", \"phase\": "
          + quote(op.phase()) + "}\n");
      return;
    }
    if (op.outcome().equals(OperationJournal.NODE_STOPPED)) {
      // Its changes are whole or absent (each method is one transaction): the resources tell.
      json(resp, 500, "{\"error\": " + quote(OperationJournal.NODE_STOPPED
          + " before it finished; what it changed is whole or absent") + "}\n");
      return;
    }
    Result captured = op.result();
    if (captured == null) {
      json(resp, 404, "{\"error\": \"the operation did not run with Prefer: respond-async\"}\n");
      return;
    }
    resp.setStatus(captured.status());
    captured.headers().forEach(resp::setHeader);
    if (captured.body() == null) {
      resp.setContentLength(0);
      return;
    }
    resp.setContentLengthLong(captured.body().length());
    try (java.io.InputStream in = journal.body(captured.body())) {
      in.transferTo(resp.getOutputStream());
    }
  }

  static String json(Record op, Instant now) {
    Instant end = op.finished() != null ? op.finished() : now;
    return "{\"id\": " + quote(op.id()) + ", \"user\": "
        + (op.owner() == null ? "null" : quote(op.owner())) + ", \"method\": "
        + quote(op.method()) + ", \"path\": " + quote(op.path()) + ", \"state\": \""
        + op.state().toLowerCase(Locale.ROOT) + "\", \"phase\": " + quote(op.phase())
        + ", \"done\": " + op.done() + ", \"total\": " + op.total() + ", \"bytes\": "
        + op.bytes() + ", \"processingSent\": " + op.processingSent() + ", \"status\": "
        + op.status() + ", \"outcome\": " + quote(op.outcome()) + ", \"node\": "
        + quote(op.node()) + ", \"elapsedMs\": " + Duration.between(op.submitted(), end)
        .toMillis() + ", \"submitted\": \"" + op.submitted() + "\"}";
  }

  /**
   * Whether {@code who} may see what {@code owner} made: administrators everything, users their
   * own; an anonymous client that is not an administrator nothing.
   */
  private static boolean sees(Principal who, String owner) {
    return who.admin() || who.name() != null && who.name().equals(owner);
  }

  private String list(Principal who, Instant now) {
    StringBuilder b = new StringBuilder("{\"locks\": [");
    String sep = "\n  ";
    DavPath root = DavPath.parse(who.root());
    for (Lock l : store.read(tx -> tx.locks().all(now))) {
      if (!sees(who, l.principal())) {
        continue;
      }
      DavPath shown = View.toVisible(root, DavPath.parse(l.root()));
      b.append(sep).append("{\"token\": ").append(quote(l.token()))
          .append(", \"root\": ").append(quote(Hrefs.encode(shown, false)))
          .append(", \"user\": ").append(l.principal() == null ? "null" : quote(l.principal()))
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
