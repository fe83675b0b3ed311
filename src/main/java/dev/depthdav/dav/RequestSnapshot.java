package dev.depthdav.dav;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request copied whole (headers, body, what the handlers ask of it) so that an operation can
 * run after its exchange has completed, as {@code Prefer: respond-async} needs: Jetty recycles
 * the real request once the 202 is sent.
 */
final class RequestSnapshot extends HttpServletRequestWrapper {
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] body;
  private final String method;
  private final String uri;
  private final String scheme;
  private final String serverName;
  private final int serverPort;
  private final String protocol;
  private final Object path;
  private final Object principal;

  RequestSnapshot(HttpServletRequest real, long maxBody) throws IOException {
    super(real);
    for (Enumeration<String> e = real.getHeaderNames(); e.hasMoreElements(); ) {
      String n = e.nextElement();
      headers.put(n.toLowerCase(Locale.ROOT), real.getHeader(n));
    }
    InputStream in = real.getInputStream();
    byte[] b = in.readNBytes((int) Math.min(maxBody + 1, Integer.MAX_VALUE - 8));
    if (b.length > maxBody) {
      throw new DavError(413, "request body exceeds " + maxBody + " bytes");
    }
    this.body = b;
    this.method = real.getMethod();
    this.uri = real.getRequestURI();
    this.scheme = real.getScheme();
    this.serverName = real.getServerName();
    this.serverPort = real.getServerPort();
    this.protocol = real.getProtocol();
    this.path = real.getAttribute(Exchange.PATH_ATTRIBUTE);
    this.principal = real.getAttribute(Exchange.PRINCIPAL_ATTRIBUTE);
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    return Collections.enumeration(headers.keySet());
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public String getContentType() {
    return getHeader("Content-Type");
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("blocking only");
      }
    };
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getRequestURI() {
    return uri;
  }

  @Override
  public String getScheme() {
    return scheme;
  }

  @Override
  public String getServerName() {
    return serverName;
  }

  @Override
  public int getServerPort() {
    return serverPort;
  }

  @Override
  public String getProtocol() {
    return protocol;
  }

  @Override
  public Object getAttribute(String name) {
    if (Exchange.PATH_ATTRIBUTE.equals(name)) {
      return path;
    }
    return Exchange.PRINCIPAL_ATTRIBUTE.equals(name) ? principal : null;
  }
}
