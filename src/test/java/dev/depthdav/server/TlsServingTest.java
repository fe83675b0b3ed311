package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.testing.TestCa;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsServingTest {
  @TempDir Path dir;
  private TestCa ca;
  private DavServer server;

  @BeforeEach
  void ca() throws Exception {
    ca = TestCa.create("depthdav test CA");
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  private DavServer start(TlsSettings tls) throws Exception {
    Files.createDirectories(dir.resolve("data"));
    server = TestServers.start(dir.resolve("data"), c -> c.withTls(tls), s -> s);
    return server;
  }

  @Test
  void get_h2ByAlpn_servesTheConfiguredCertificate() throws Exception {
    TestCa.Issued cert = ca.server();
    start(TlsFixture.writePem(dir, cert));
    HttpResponse<String> r =
        TlsFixture.send(server, TlsFixture.trusting(ca), HttpClient.Version.HTTP_2, "GET");
    assertEquals(200, r.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, r.version());
    assertEquals("https", server.uri().getScheme());
    assertEquals(cert.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
  }

  @Test
  void propfind_http11ByAlpn_answers207() throws Exception {
    start(TlsFixture.writePem(dir, ca.server()));
    HttpResponse<String> r =
        TlsFixture.send(server, TlsFixture.trusting(ca), HttpClient.Version.HTTP_1_1, "PROPFIND");
    assertEquals(207, r.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, r.version());
    assertTrue(r.body().contains("multistatus"), r.body());
  }

  @Test
  void start_ecKeyTraditionalForm_serves() throws Exception {
    assertServedWithTraditionalKey(ca.serverEc(), "BEGIN EC PRIVATE KEY");
  }

  @Test
  void start_rsaKeyTraditionalForm_serves() throws Exception {
    assertServedWithTraditionalKey(ca.server(), "BEGIN RSA PRIVATE KEY");
  }

  private void assertServedWithTraditionalKey(TestCa.Issued cert, String pemHeader)
      throws Exception {
    start(TlsFixture.pem(TestCa.writeChain(dir.resolve("fullchain.pem"), cert),
        TestCa.writeTraditionalKey(dir.resolve("privkey.pem"), cert.keys().getPrivate())));
    assertTrue(Files.readString(dir.resolve("privkey.pem")).contains(pemHeader));
    assertEquals(cert.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
  }

  @Test
  void start_pkcs12Keystore_serves() throws Exception {
    TestCa.Issued cert = ca.server();
    Path p12 = TestCa.writePkcs12(dir.resolve("server.p12"), cert, "s3cret");
    start(new TlsSettings(null, null, p12, "s3cret", null, 0, Duration.ofMinutes(1)));
    assertEquals(cert.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
    assertEquals(200, TlsFixture.send(server, TlsFixture.trusting(ca),
        HttpClient.Version.HTTP_2, "GET").statusCode());
  }

  /**
   * TLS 1.0 and 1.1 cannot be offered from this JVM: the JDK disables them itself
   * (jdk.tls.disabledAlgorithms), so a TLSv1.1-only client fails before the server decides,
   * and proves nothing about the server. What is shown instead: the server's own protocol list
   * holds TLS 1.2 and 1.3 only, and a client limited to TLS 1.2 is served.
   */
  @Test
  void protocols_tls12And13Only_tls12ClientServed() throws Exception {
    start(TlsFixture.writePem(dir, ca.server()));
    Set<String> selected = Set.of(server.tls().factory().getSelectedProtocols());
    assertEquals(Set.of("TLSv1.2", "TLSv1.3"), selected);
    assertEquals("TLSv1.2", negotiated(TlsFixture.trusting(ca), "TLSv1.2"));
    assertEquals("TLSv1.3", negotiated(TlsFixture.trusting(ca), "TLSv1.3", "TLSv1.2"));
    assertThrows(SSLHandshakeException.class,
        () -> negotiated(TlsFixture.trusting(ca), "TLSv1.1"));
  }

  private String negotiated(SSLContext ctx, String... protocols) throws IOException {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1",
        server.port())) {
      s.setEnabledProtocols(protocols);
      s.startHandshake();
      return s.getSession().getProtocol();
    }
  }

  @Test
  void start_keyOfAnotherCertificate_failsNamingTheKeyFile() throws Exception {
    TestCa.Issued cert = ca.server();
    Path chain = TestCa.writeChain(dir.resolve("fullchain.pem"), cert);
    Path key = TestCa.writePkcs8Key(dir.resolve("other-key.pem"),
        ca.server().keys().getPrivate());
    Files.createDirectories(dir.resolve("data"));
    String message = TlsFixture.startFailure(dir.resolve("data"), TlsFixture.pem(chain, key));
    assertTrue(message.contains(key.toString()), message);
    assertTrue(message.contains("does not belong"), message);
  }

  @Test
  void start_chainFileWithoutCertificate_failsNamingIt() throws Exception {
    TestCa.Issued cert = ca.server();
    Path key = TestCa.writePkcs8Key(dir.resolve("privkey.pem"), cert.keys().getPrivate());
    Files.createDirectories(dir.resolve("data"));
    String message = TlsFixture.startFailure(dir.resolve("data"), TlsFixture.pem(key, key));
    assertTrue(message.startsWith(key + ": no PEM certificate"), message);
  }

  @Test
  void start_keystoreWrongPassword_failsNamingIt() throws Exception {
    Path p12 = TestCa.writePkcs12(dir.resolve("server.p12"), ca.server(), "s3cret");
    Files.createDirectories(dir.resolve("data"));
    String message = TlsFixture.startFailure(dir.resolve("data"),
        new TlsSettings(null, null, p12, "wrong", null, 0, Duration.ofMinutes(1)));
    assertTrue(message.startsWith(p12 + ": cannot open"), message);
  }
}
