package dev.depthdav.dav;

import dev.depthdav.depth.Operation;
import dev.depthdav.depth.ProgressMonitor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpFields;

/**
 * Sends 102 Processing through Jetty's core response. Never to HTTP/1.0 clients (RFC 9110
 * §15.2; Jetty does not stop it), never after the response is committed. Over HTTP/2 the 102
 * carries a Progress header; over HTTP/1.1 Jetty writes only the status line of a 102.
 */
final class JettyInterim implements ProgressMonitor.Interim {
  private final HttpServletRequest req;
  private final HttpServletResponse resp;

  JettyInterim(HttpServletRequest req, HttpServletResponse resp) {
    this.req = req;
    this.resp = resp;
  }

  @Override
  public boolean allowed() {
    String protocol = req.getProtocol();
    return protocol != null && !protocol.equals("HTTP/1.0") && !protocol.equals("HTTP/0.9")
        && !resp.isCommitted();
  }

  @Override
  public CompletableFuture<Void> send(Operation op) {
    HttpFields fields = req.getProtocol().startsWith("HTTP/2")
        ? HttpFields.build().put("Progress", op.progress()) : HttpFields.EMPTY;
    return ServletContextResponse.getServletContextResponse(resp).writeInterim(102, fields);
  }
}
