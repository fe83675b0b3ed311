package dev.depthdav.dav;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every request passes before any method sees it: the Host it names must be one this server
 * serves (a DNS-rebinding page names its own), a changing request must not come from a page of
 * another origin ({@link OriginCheck}), its credentials must name a principal, and a
 * read-only principal may only read. Each refusal says what was wrong and nothing more.
 */
final class Guard {
  /** Request attribute holding the user name for the access log ("-" when anonymous). */
  static final String LOG_USER = "depthdav.user";

  private final Authenticator auth;
  /** Host names (lower case, no port) this server answers for; null for any. */
  private final Set<String> hosts;

  Guard(Authenticator auth, Set<String> hosts) {
    this.auth = auth;
    this.hosts = hosts;
  }

  /** The request's principal, or null when a refusal has been written. */
  Principal admit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    req.setAttribute(LOG_USER, "-");
    String host = req.getServerName();
    if (hosts != null && (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT)))) {
      // RFC 9110 §15.5.20: a request for an authority this server does not serve.
      Status.writeText(resp, 421, "this server does not serve the host " + host
          + " (--allowed-hosts lists those it does)");
      return null;
    }
    String crossSite = OriginCheck.refusal(req);
    if (crossSite != null) {
      Status.writeText(resp, 403, crossSite);
      return null;
    }
    Authenticator.Outcome o = auth.authenticate(req.getHeader("Authorization"), req.getMethod(),
        target(req), req.getRemoteAddr(), req.isSecure());
    if (o instanceof Authenticator.Challenge c) {
      List<String> challenges = auth.challenges(req.isSecure(), c.stale());
      if (challenges.isEmpty()) {
        Status.writeText(resp, 403, "this server takes credentials only over https");
        return null;
      }
      // RFC 7235 §4.1: one WWW-Authenticate field per challenge, in the order of preference.
      for (String challenge : challenges) {
        resp.addHeader("WWW-Authenticate", challenge);
      }
      Status.writeText(resp, 401, c.reason());
      return null;
    }
    if (o instanceof Authenticator.BadRequest b) {
      Status.writeText(resp, 400, b.reason());
      return null;
    }
    if (o instanceof Authenticator.Throttled t) {
      long secs = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
      resp.setHeader("Retry-After", Long.toString(secs));
      Status.writeText(resp, 429, "too many failed logins; try again in " + secs + " s");
      return null;
    }
    if (o instanceof Authenticator.Refused r) {
      Status.writeText(resp, 403, r.reason());
      return null;
    }
    Principal who = ((Authenticator.Allowed) o).principal();
    req.setAttribute(LOG_USER, who.logName());
    if (who.readOnly() && !OriginCheck.SAFE.contains(req.getMethod())) {
      Status.writeText(resp, 403, (who.name() == null ? "anonymous access" : "user " + who.name())
          + " is read-only: " + req.getMethod() + " is refused");
      return null;
    }
    return who;
  }

  /** The request-target as the client sent it: the raw path and the query (RFC 9112 §3.2). */
  private static String target(HttpServletRequest req) {
    String query = req.getQueryString();
    return query == null ? req.getRequestURI() : req.getRequestURI() + "?" + query;
  }

}
