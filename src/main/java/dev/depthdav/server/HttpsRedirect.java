package dev.depthdav.server;

import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers every request that did not come over TLS with {@code 308 Permanent Redirect} (RFC 9110
 * §15.4.9) to the same path and query over https. 308 rather than 301: a client must repeat the
 * method and body, so a PUT or PROPFIND sent to the plain port is not turned into a GET.
 */
final class HttpsRedirect extends Handler.Wrapper {
  private final IntSupplier httpsPort;

  /** {@code httpsPort} is asked on each request: with port 0 it is known only once bound. */
  HttpsRedirect(Handler next, IntSupplier httpsPort) {
    super(next);
    this.httpsPort = httpsPort;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (request.isSecure()) {
      return super.handle(request, response, callback);
    }
    response.setStatus(308);
    response.getHeaders().put(HttpHeader.LOCATION, location(request));
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    callback.succeeded();
    return true;
  }

  /** The https URL: the host the client asked for (Host header, its port dropped), our TLS port. */
  private String location(Request request) {
    String host = Request.getServerName(request);
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]"; // RFC 3986 §3.2.2: an IPv6 literal in brackets
    }
    String pathQuery = request.getHttpURI().getPathQuery();
    if (pathQuery == null || !pathQuery.startsWith("/")) {
      pathQuery = "/"; // OPTIONS * has no resource to redirect to; the root stands for it
    }
    return "https://" + host + ":" + httpsPort.getAsInt() + pathQuery;
  }
}
