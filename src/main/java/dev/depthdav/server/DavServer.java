package dev.depthdav.server;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.Digest;
import dev.depthdav.auth.Htpasswd;
import dev.depthdav.auth.Users;
import dev.depthdav.dav.DavServlet;
import dev.depthdav.dav.DavSettings;
import dev.depthdav.depth.OperationJournal;
import dev.depthdav.depth.WorkerPool;
import dev.depthdav.store.Store;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.nio.file.Files;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * Jetty wired to the WebDAV servlet: HTTP/1.1 and cleartext HTTP/2 on one port, or with TLS
 * configured HTTP/1.1 and HTTP/2 over TLS (see {@link Tls}).
 */
public final class DavServer implements AutoCloseable {
  /** Answers {@code OPTIONS *} (RFC 9110 §9.3.7), which no servlet is mapped to see. */
  private static final class ServerOptions extends Handler.Wrapper {
    ServerOptions(Handler next) {
      super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
        throws Exception {
      if (HttpMethod.OPTIONS.is(request.getMethod())
          && "*".equals(request.getHttpURI().getPath())) {
        response.setStatus(200);
        DavServlet.serverOptions().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put("Content-Length", "0");
        callback.succeeded();
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  private final Server jetty;
  private final ServerConnector connector;
  private final Tls tls;
  private final ScheduledExecutorService sweeper;
  private final WorkerPool pool;

  /**
   * The folder for captured results of asynchronous operations, under the data folder and
   * emptied at start: results live as long as the server remembers their operations.
   */
  private static Path results(Path data) throws IOException {
    Path dir = data.resolve("operations");
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : (Iterable<Path>) old::iterator) {
        Files.deleteIfExists(p);
      }
    }
    return dir;
  }

  private DavServer(Server jetty, ServerConnector connector, Tls tls,
      ScheduledExecutorService sweeper, WorkerPool pool) {
    this.jetty = jetty;
    this.connector = connector;
    this.tls = tls;
    this.sweeper = sweeper;
    this.pool = pool;
  }

  /** Starts serving {@code store} on the configured address; returns once it listens. */
  public static DavServer start(Config config, Store store, Users users)
      throws Exception {
    return start(config, store, authenticator(config, users));
  }

  /** The accounts and rules of {@code config}'s security settings. */
  public static Authenticator authenticator(Config config, Users users) throws IOException {
    Security sec = config.security();
    Htpasswd htpasswd = sec.htpasswd() == null ? null
        : Htpasswd.load(sec.htpasswd(), InstantSource.system());
    // RFC 7617 §4: Basic sends the password in the clear; only loopback, TLS, or an operator who
    // says a TLS proxy stands in front make that safe.
    boolean basicOverHttp = sec.allowBasicOverHttp() || Security.loopback(config.bind());
    return new Authenticator(users, htpasswd, sec.anonymous(), basicOverHttp,
        sec.digest() ? new Digest() : null, InstantSource.system());
  }

  /**
   * Starts serving with the given authenticator; returns once it listens.
   *
   * @throws TlsFileException when TLS is configured and a file cannot serve (nothing listens)
   */
  public static DavServer start(Config config, Store store, Authenticator auth)
      throws Exception {
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
    Tls tls = config.tls().enabled()
        ? Tls.install(jetty, http, config.bind(), config.port(), config.tls())
        : null;
    ServerConnector connector = tls != null ? tls.connector() : plain(jetty, http, config);

    ServletContextHandler context = new ServletContextHandler("/");
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    DavSettings settings = new DavSettings(config.maxXmlBody(), config.lockTimeout(),
        config.maxLockTimeout(), config.processing(), config.propfindBudget(),
        config.maxLocksPerResource(), config.maxLocksPerPrincipal(), config.maxUploads(),
        config.minUploadRate(),
        results(config.data()), config.maxAsyncResult(), config.security().maxUpload());
    WorkerPool pool =
        new WorkerPool(config.depthWorkers(), config.depthQueue(), InstantSource.system());
    OperationJournal journal = new OperationJournal(store.operations(), store.blobs(), pool,
        nodeName(), config.nodeTimeout(), InstantSource.system());
    context.addServlet(new ServletHolder("dav", new DavServlet(store, settings, pool, journal,
        auth, config.security().hosts(config.bind()))), "/*");
    Handler handler = new ServerOptions(context);
    jetty.setHandler(tls != null ? tls.redirecting(handler) : handler);
    // The extended NCSA format with the authenticated user (set by the servlet) for %u.
    jetty.setRequestLog(new CustomRequestLog(new Slf4jRequestLogWriter(),
        "%{client}a - %{depthdav.user}attr %t \"%r\" %s %O \"%{Referer}i\" \"%{User-Agent}i\""));
    jetty.start();
    // Two threads: the lock sweep waits for the writer lock, which a COPY holds for its whole
    // run, and the operations' heartbeats must not wait behind it (each task runs alone).
    ScheduledExecutorService sweeper = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "background");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(() -> sweep(store), 1, 60, TimeUnit.SECONDS);
    // Progress and heartbeats of running operations, about every second (OperationJournal).
    sweeper.scheduleWithFixedDelay(journal::tick, 1, 1, TimeUnit.SECONDS);
    return new DavServer(jetty, connector, tls, sweeper, pool);
  }

  /** HTTP/1.1 and h2c (RFC 9113 §3.3: prior knowledge) on one plain port. */
  private static ServerConnector plain(Server jetty, HttpConfiguration http, Config config) {
    ServerConnector connector =
        new ServerConnector(
            jetty, new HttpConnectionFactory(http), new NoUpgradeH2c(http));
    connector.setHost(config.bind());
    connector.setPort(config.port());
    jetty.addConnector(connector);
    return connector;
  }

  /**
   * h2c with prior knowledge only (RFC 9113 §3.3); a request asking to upgrade (RFC 7540 §3.2,
   * deprecated by RFC 9113 §3.1) is answered over HTTP/1.1. Two failures of the upgrade, both
   * seen here: Jetty 12.1's factory declines it only for a positive Content-Length, so a chunked
   * PUT was switched before its body was read and stored an empty file with 201; and after a
   * switch the server sends its response without waiting for the client's preface, up to the
   * 65,535-byte initial window, which curl 7.88 (its upgrade buffer holds 32 KiB) and the JDK's
   * HttpClient fail to read, now and then. See H2cUpgradeTest.
   */
  private static final class NoUpgradeH2c extends HTTP2CServerConnectionFactory {
    NoUpgradeH2c(HttpConfiguration http) {
      super(http);
    }

    @Override
    public Connection upgradeConnection(Connector connector, EndPoint endPoint,
        MetaData.Request request, HttpFields.Mutable response101) {
      // Jetty hands the prior-knowledge preface ("PRI * HTTP/2.0") here as well.
      return HttpMethod.PRI.is(request.getMethod())
          ? super.upgradeConnection(connector, endPoint, request, response101) : null;
    }
  }

  /**
   * This process's name among the nodes sharing a store: the host, the process id and a random
   * part, so that a restarted process on the same host is a node of its own.
   */
  private static String nodeName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(new SecureRandom().nextInt() & 0xffff);
  }

  /** Deletes expired locks; they already count for nothing, this only frees their rows. */
  private static void sweep(Store store) {
    try {
      store.writeToFree(tx -> tx.locks().sweep(Instant.now()));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(DavServer.class).warn("sweeping expired locks failed", e);
    }
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
    return URI.create((tls != null ? "https" : "http") + "://" + host + ":" + port() + "/");
  }

  /** TLS on this server, or null when it speaks plain HTTP (tests drive its reload check). */
  Tls tls() {
    return tls;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() throws Exception {
    sweeper.shutdownNow();
    jetty.stop(); // stops the TLS reload task too: it is one of the server's beans
    pool.close(); // running operations finish (commit or roll back) before the store closes
  }
}
