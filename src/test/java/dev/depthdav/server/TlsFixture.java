package dev.depthdav.server;

import dev.depthdav.testing.TestCa;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** What the TLS tests share: PEM settings, a look at the served certificate, a request. */
final class TlsFixture {
  private TlsFixture() {}

  /** TLS from a PEM chain and key, nothing else. */
  static TlsSettings pem(Path cert, Path key) {
    return new TlsSettings(cert, key, null, "", null, 0, Duration.ofMinutes(1));
  }

  /** Writes {@code issued} as fullchain.pem and a PKCS#8 privkey.pem under {@code dir}. */
  static TlsSettings writePem(Path dir, TestCa.Issued issued) throws IOException {
    return pem(TestCa.writeChain(dir.resolve("fullchain.pem"), issued),
        TestCa.writePkcs8Key(dir.resolve("privkey.pem"), issued.keys().getPrivate()));
  }

  /**
   * The serial of the certificate the server presents to a new connection. The context is the
   * caller's: a fresh one per call has an empty session cache, so nothing is resumed.
   */
  static BigInteger servedSerial(DavServer server, SSLContext ctx) throws IOException {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1",
        server.port())) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /** Sends {@code method} to the server's root with a client using {@code ctx}. */
  static HttpResponse<String> send(DavServer server, SSLContext ctx, HttpClient.Version version,
      String method) throws IOException, InterruptedException {
    return send(server, ctx, version, method, "/");
  }

  /** Sends {@code method} to {@code path} with a client using {@code ctx}. */
  static HttpResponse<String> send(DavServer server, SSLContext ctx, HttpClient.Version version,
      String method, String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(version)
        .connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Depth", "0")
        .timeout(Duration.ofSeconds(20)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A fresh client context trusting {@code ca}, presenting no certificate. */
  static SSLContext trusting(TestCa ca) throws GeneralSecurityException, IOException {
    return ca.clientContext(null);
  }

  /** The start-up of a server that must fail; its message. */
  static String startFailure(Path data, TlsSettings tls) {
    try {
      DavServer server = TestServers.start(data, c -> c.withTls(tls), s -> s);
      TestServers.stop(server);
      throw new AssertionError("the server started with " + tls);
    } catch (TlsFileException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError("not a TlsFileException", e);
    }
  }
}
