package dev.depthdav.server;

import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS on the main port (HTTP/2 or HTTP/1.1 chosen by ALPN, RFC 7301), the optional plain port
 * that redirects to it, and the reloading of renewed certificates. A bean of the Jetty server:
 * the reload task runs from the server's start to its stop.
 */
final class Tls extends AbstractLifeCycle {
  private static final Logger log = LoggerFactory.getLogger(Tls.class);

  /** What one look at the files found. */
  enum Check { UNCHANGED, RELOADED, REFUSED }

  private final TlsSettings settings;
  private final SslContextFactory.Server factory;
  private final ServerConnector connector;
  private List<FileStamp> loaded;
  private ScheduledExecutorService reloader;

  private Tls(TlsSettings settings, SslContextFactory.Server factory, ServerConnector connector,
      List<FileStamp> loaded) {
    this.settings = settings;
    this.factory = factory;
    this.connector = connector;
    this.loaded = loaded;
  }

  /**
   * Reads the TLS files and adds to {@code jetty} the TLS connector on {@code bind:port} and,
   * when configured, the plain redirecting one; {@code http} is the plain configuration, copied
   * for TLS. Fails, before anything listens, when a file cannot serve.
   */
  static Tls install(Server jetty, HttpConfiguration http, String bind, int port,
      TlsSettings settings) throws TlsFileException {
    List<FileStamp> stamps = stamps(settings); // before reading: a change in between is seen later
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setIncludeProtocols("TLSv1.3", "TLSv1.2"); // RFC 8996: TLS 1.0 and 1.1 are gone
    // TLS 1.2 suites that HTTP/2 accepts first (RFC 9113 §9.2.2); Jetty's default exclusions
    // of weak suites stay.
    factory.setCipherComparator(HTTP2Cipher.COMPARATOR);
    use(factory, TlsKeys.load(settings));

    HttpConfiguration https = new HttpConfiguration(http);
    https.setSecureScheme("https");
    // No SNI checks: the server is often reached by an address or a name its certificate does
    // not list (tests, a LAN address, a tunnel); the client's own certificate check is what
    // protects it, and refusing the request here would only break those uses.
    https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1"); // a client without ALPN gets HTTP/1.1
    ServerConnector connector = new ServerConnector(jetty,
        new SslConnectionFactory(factory, alpn.getProtocol()), alpn,
        new HTTP2ServerConnectionFactory(https), new HttpConnectionFactory(https));
    listen(jetty, connector, bind, port);
    if (settings.redirectPort() != 0) {
      listen(jetty, new ServerConnector(jetty, new HttpConnectionFactory(http)), bind,
          settings.redirectPort());
    }
    Tls tls = new Tls(settings, factory, connector, stamps);
    jetty.addBean(tls);
    return tls;
  }

  private static void listen(Server jetty, ServerConnector c, String bind, int port) {
    c.setHost(bind);
    c.setPort(port);
    jetty.addConnector(c);
  }

  /** The TLS connector. */
  ServerConnector connector() {
    return connector;
  }

  /** The TLS context the connector uses (tests look at its protocols). */
  SslContextFactory.Server factory() {
    return factory;
  }

  /** {@code next}, behind the 308 redirect of plain requests when a redirect port is set. */
  Handler redirecting(Handler next) {
    return settings.redirectPort() == 0 ? next : new HttpsRedirect(next, connector::getLocalPort);
  }

  /**
   * Looks at the files once; when they changed and read cleanly, new handshakes use them (open
   * connections keep theirs). Files that do not read cleanly keep the old certificate in use and
   * are tried again on the next check: an ACME client that writes the certificate before the key
   * is caught half-way only until it finishes.
   */
  synchronized Check checkNow() {
    List<FileStamp> now = stamps(settings);
    if (now.equals(loaded)) {
      return Check.UNCHANGED;
    }
    try {
      TlsKeys keys = TlsKeys.load(settings);
      factory.reload(f -> use((SslContextFactory.Server) f, keys));
      loaded = now;
      log.info("TLS files changed; new connections get {}", describe(keys));
      return Check.RELOADED;
    } catch (Exception e) {
      log.warn("TLS files changed but cannot be used; the certificate loaded before stays: {}",
          e.getMessage());
      return Check.REFUSED;
    }
  }

  private static void use(SslContextFactory.Server factory, TlsKeys keys) {
    factory.setKeyStore(keys.keys());
    factory.setKeyStorePassword(TlsKeys.PASSWORD);
    factory.setKeyManagerPassword(TlsKeys.PASSWORD);
    factory.setCertAlias(TlsKeys.ALIAS);
    factory.setTrustStore(keys.trust());
    factory.setNeedClientAuth(keys.trust() != null);
  }

  private static List<FileStamp> stamps(TlsSettings settings) {
    return settings.files().stream().map(FileStamp::of).toList();
  }

  private static String describe(TlsKeys keys) throws KeyStoreException {
    X509Certificate leaf = (X509Certificate) keys.keys().getCertificate(TlsKeys.ALIAS);
    return leaf.getSubjectX500Principal() + " serial " + leaf.getSerialNumber().toString(16)
        + " valid to " + leaf.getNotAfter().toInstant();
  }

  @Override
  protected void doStart() {
    reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tls-reload");
      t.setDaemon(true);
      return t;
    });
    long every = settings.reload().toMillis();
    reloader.scheduleWithFixedDelay(this::checkNow, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    reloader.shutdownNow();
  }
}
