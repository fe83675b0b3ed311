package dev.depthdav.dav;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request forgery: a page on another site can make a browser send PUT, DELETE or MOVE
 * here with the user's credentials (a form post, or a fetch the browser sends before any CORS
 * check answers). Browsers name the page's origin in {@code Origin} on such requests (RFC 6454
 * §7) and, lately, say {@code Sec-Fetch-Site: cross-site} (Fetch Metadata); WebDAV clients send
 * neither. So a changing request that names another origin is refused, and one without is not.
 */
final class OriginCheck {
  /** Methods that change nothing (RFC 9110 §9.2.1, RFC 4918 §9.1); the rest are checked. */
  static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "PROPFIND");

  private OriginCheck() {}

  /** Why the request is refused as cross-site, or null when it may go on. */
  static String refusal(HttpServletRequest req) {
    if (SAFE.contains(req.getMethod())) {
      return null;
    }
    if ("cross-site".equalsIgnoreCase(req.getHeader("Sec-Fetch-Site"))) {
      return req.getMethod() + " from a page of another site is refused (Sec-Fetch-Site)";
    }
    String origin = req.getHeader("Origin");
    if (origin == null) {
      return null;
    }
    String own = origin(req.getScheme(), req.getServerName(), req.getServerPort());
    if (!own.equals(normalize(origin))) {
      return req.getMethod() + " from the origin " + origin + " is refused: this server's is "
          + own;
    }
    return null;
  }

  /**
   * An origin as RFC 6454 §6.2 serializes it, with the port always written, so that
   * {@code http://h} and {@code http://h:80} compare equal; {@code "null"} and anything that is
   * not a scheme, a host and an optional port stay as they are (and match no request).
   */
  static String normalize(String origin) {
    try {
      URI u = new URI(origin.trim());
      if (u.getScheme() == null || u.getHost() == null || u.getRawPath() != null
          && !u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawUserInfo() != null) {
        return origin;
      }
      int port = u.getPort() != -1 ? u.getPort() : defaultPort(u.getScheme());
      return origin(u.getScheme(), u.getHost(), port);
    } catch (URISyntaxException e) {
      return origin;
    }
  }

  private static String origin(String scheme, String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]"; // an IPv6 literal, as it is written in a URI (RFC 3986 §3.2.2)
    }
    return scheme.toLowerCase(Locale.ROOT) + "://" + h + ":" + port;
  }

  private static int defaultPort(String scheme) {
    return scheme.equalsIgnoreCase("https") ? 443 : scheme.equalsIgnoreCase("http") ? 80 : -1;
  }
}
