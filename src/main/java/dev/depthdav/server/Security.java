package dev.depthdav.server;

import dev.depthdav.auth.Authenticator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may reach the server and how (see docs/ARCHITECTURE.md, "Security").
 *
 * @param anonymous what a client without credentials may do
 * @param allowBasicOverHttp accept Basic credentials without TLS even off loopback (behind a
 *     TLS-terminating proxy)
 * @param htpasswd an Apache htpasswd file of further accounts (bcrypt entries), or null
 * @param allowedHosts the host names requests may name; empty for the default (the loopback
 *     names when bound to loopback, any otherwise); "*" for any
 * @param maxUpload the largest request body of a PUT, in bytes (413 past it); 0 for no limit
 * @param digest whether Digest (RFC 7616) is offered and accepted, on any connection, for users
 *     added with {@code --digest}
 */
public record Security(Authenticator.Anonymous anonymous, boolean allowBasicOverHttp,
    Path htpasswd, List<String> allowedHosts, long maxUpload, boolean digest) {

  /** The settings with Digest on or off (tests). */
  public Security withDigest(boolean on) {
    return new Security(anonymous, allowBasicOverHttp, htpasswd, allowedHosts, maxUpload, on);
  }

  /** Whether {@code bind} is a loopback address (only this machine can connect). */
  static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The host names requests may name on a server bound to {@code bind}; null for any. */
  Set<String> hosts(String bind) {
    Set<String> out = new LinkedHashSet<>();
    if (allowedHosts.isEmpty()) {
      if (!loopback(bind)) {
        return null;
      }
      out.addAll(List.of("localhost", "127.0.0.1", "::1"));
      out.add(bind);
    } else {
      for (String h : allowedHosts) {
        if (h.equals("*")) {
          return null;
        }
        out.add(h);
      }
    }
    Set<String> both = new LinkedHashSet<>();
    for (String h : out) {
      String bare = h.toLowerCase(Locale.ROOT);
      if (bare.startsWith("[") && bare.endsWith("]")) {
        bare = bare.substring(1, bare.length() - 1);
      }
      both.add(bare);
      if (bare.contains(":")) {
        both.add("[" + bare + "]"); // an IPv6 literal as it appears in a Host header
      }
    }
    return both;
  }
}
