package dev.depthdav.dav.xml;

import dev.depthdav.store.DavPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The Destination request header of COPY and MOVE (RFC 4918 §10.3). */
public final class Destination {
  private Destination() {}

  /** The destination is on another server (or scheme); the lead answers 502 Bad Gateway. */
  public static final class OtherServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OtherServerException(String message) {
      super(message);
    }
  }

  /**
   * Parses an absolute URI or an absolute path into the destination's decoded path.
   *
   * @throws BadRequestException when absent or malformed
   * @throws OtherServerException when the URI names another authority or scheme
   */
  public static DavPath parse(String header, String scheme, String host, int port) {
    if (header == null || header.isBlank()) {
      throw new BadRequestException("Destination header required");
    }
    String value = header.trim();
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new BadRequestException("Destination is not a valid URI: " + e.getReason());
    }
    if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
      throw new BadRequestException("Destination must not have a query or fragment");
    }
    if (uri.isAbsolute()) {
      checkSameServer(uri, scheme, host, port);
    } else if (uri.getRawAuthority() != null || !value.startsWith("/")) {
      throw new BadRequestException("Destination must be an absolute URI or an absolute path");
    }
    String rawPath = uri.getRawPath();
    if (rawPath == null || rawPath.isEmpty()) {
      rawPath = "/";
    }
    try {
      return DavPath.parse(Hrefs.decodePath(rawPath));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("bad Destination path: " + e.getMessage());
    }
  }

  private static void checkSameServer(URI uri, String scheme, String host, int port) {
    String s = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new BadRequestException("Destination URI has no host");
    }
    int p = uri.getPort() >= 0 ? uri.getPort() : defaultPort(s);
    if (!s.equalsIgnoreCase(scheme) || p != port || !sameHost(uri.getHost(), host)) {
      throw new OtherServerException(uri.getScheme() + "://" + uri.getRawAuthority());
    }
  }

  private static boolean sameHost(String a, String b) {
    return strip(a).equalsIgnoreCase(strip(b));
  }

  private static String strip(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
  }
}
