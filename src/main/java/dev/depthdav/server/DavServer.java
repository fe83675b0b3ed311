package dev.depthdav.server;

import dev.depthdav.dav.DavServlet;
import dev.depthdav.dav.DavSettings;
import dev.depthdav.store.Store;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty wired to the WebDAV servlet: HTTP/1.1 and cleartext HTTP/2 on one port. */
public final class DavServer implements AutoCloseable {
  private final Server jetty;
  private final ServerConnector connector;

  private DavServer(Server jetty, ServerConnector connector) {
    this.jetty = jetty;
    this.connector = connector;
  }

  /** Starts serving {@code store} on the configured address; returns once it listens. */
  public static DavServer start(Config config, Store store) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("http");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // The servlet decodes and validates paths itself, strictly (DavPath, Hrefs): let through the
    // encodings Jetty calls ambiguous (%25, %2F, %2E) so that names such as "100%" work and the
    // refusals ("..", encoded '/', NUL) say what was wrong.
    http.setUriCompliance(UriCompliance.DEFAULT.with("depthdav",
        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
        UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
        UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
        UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
    ServerConnector connector =
        new ServerConnector(
            jetty, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost(config.bind());
    connector.setPort(config.port());
    jetty.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    DavSettings settings = new DavSettings(config.maxXmlBody());
    context.addServlet(new ServletHolder("dav", new DavServlet(store, settings)), "/*");
    jetty.setHandler(context);
    jetty.setRequestLog(
        new CustomRequestLog(new Slf4jRequestLogWriter(), CustomRequestLog.EXTENDED_NCSA_FORMAT));
    jetty.start();
    return new DavServer(jetty, connector);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URL clients use. */
  public URI uri() {
    String host = connector.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
