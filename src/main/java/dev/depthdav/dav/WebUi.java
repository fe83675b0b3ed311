package dev.depthdav.dav;

import dev.depthdav.store.DavPath;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser UI: static files packaged from the top-level {@code webapp/} folder (classpath
 * {@code webapp/}), served read-only under {@code /.depthdav/ui/}, and its page, which a browser
 * gets for a collection it asks HTML of. The page talks WebDAV to the server; there is no API of
 * its own. Every answer carries a Content-Security-Policy that allows only this server's own
 * scripts, styles and images, so a name that slipped into markup still could not run.
 */
final class WebUi {
  static final String PREFIX = "ui";
  /** Script, style, images and fetch from this origin only; no inline script; no framing. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon");

  /** A file of the UI: its bytes and a strong entity tag of them. */
  private record Asset(byte[] bytes, String type, String etag) {}

  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  /** Whether {@code path} is under {@code /.depthdav/ui/}. */
  static boolean owns(DavPath path) {
    List<String> n = path.names();
    return n.size() >= 2 && n.get(0).equals(AdminEndpoint.RESERVED) && n.get(1).equals(PREFIX);
  }

  /**
   * Whether a GET for a collection asks for the UI: a browser navigating names text/html in
   * Accept; WebDAV clients (litmus, cadaver, davfs2) send none and keep getting the listing.
   */
  static boolean wanted(String accept) {
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
  }

  /** Answers GET or HEAD of one file under {@code /.depthdav/ui/}; 405 for any other method. */
  void serve(String method, DavPath path, String ifNoneMatch, HttpServletResponse resp)
      throws IOException {
    secure(resp);
    if (!method.equals("GET") && !method.equals("HEAD")) {
      resp.setHeader("Allow", "GET, HEAD");
      Status.writeText(resp, 405, "the browser UI is read-only: GET or HEAD");
      return;
    }
    List<String> n = path.names();
    Asset a = n.size() == 3 ? asset(n.get(2)) : null;
    if (a == null) {
      Status.writeText(resp, 404, "no such file of the browser UI");
      return;
    }
    resp.setHeader("ETag", a.etag());
    // Revalidated on every use: a new jar's files are seen at once, an unchanged one costs a 304.
    resp.setHeader("Cache-Control", "no-cache");
    if (ifNoneMatch != null && Preconditions.tagListContains(ifNoneMatch, a.etag())) {
      resp.setStatus(304);
      return;
    }
    send(resp, a, method.equals("HEAD"));
  }

  /** Answers a browser's GET or HEAD of a collection with the UI's page. */
  void page(HttpServletResponse resp, boolean head) throws IOException {
    secure(resp);
    // The same URL answers the listing to clients that do not ask for HTML.
    resp.setHeader("Vary", "Accept");
    resp.setHeader("Cache-Control", "no-store");
    send(resp, asset("index.html"), head);
  }

  /** The headers every UI answer carries (CSP Level 3, RFC 7034 for framing, nosniff). */
  static void secure(HttpServletResponse resp) {
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("Referrer-Policy", "same-origin");
  }

  private static void send(HttpServletResponse resp, Asset a, boolean head) throws IOException {
    resp.setStatus(200);
    resp.setContentType(a.type());
    resp.setContentLength(a.bytes().length);
    if (!head) {
      resp.getOutputStream().write(a.bytes());
    }
  }

  /** The file {@code name} of the UI, or null: plain names with a known extension only. */
  private Asset asset(String name) {
    int dot = name.lastIndexOf('.');
    String type = dot > 0 ? TYPES.get(name.substring(dot + 1)) : null;
    if (type == null || !name.matches("[A-Za-z0-9_-]+\\.[a-z]+")) {
      return null;
    }
    Asset a = cache.get(name);
    if (a == null) {
      a = load(name, type);
      if (a != null) {
        cache.put(name, a);
      }
    }
    return a;
  }

  private static Asset load(String name, String type) {
    try (InputStream in = WebUi.class.getResourceAsStream("/webapp/" + name)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      byte[] sum = MessageDigest.getInstance("SHA-256").digest(bytes);
      return new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sum, 0, 12) + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

}
