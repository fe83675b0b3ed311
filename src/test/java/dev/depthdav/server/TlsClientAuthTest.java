package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depthdav.testing.TestCa;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls-client-ca: a client certificate from one of the named CAs or no connection. */
class TlsClientAuthTest {
  @TempDir Path dir;
  private TestCa ca;
  private TestCa clientCa;
  private DavServer server;

  @BeforeEach
  void start() throws Exception {
    ca = TestCa.create("depthdav test CA");
    clientCa = TestCa.create("depthdav client CA");
    TlsSettings pem = TlsFixture.writePem(dir, ca.server());
    TlsSettings tls = new TlsSettings(pem.cert(), pem.key(), null, "",
        clientCa.writeCertificate(dir.resolve("clients.pem")), 0, Duration.ofMinutes(1));
    Files.createDirectories(dir.resolve("data"));
    server = TestServers.start(dir.resolve("data"), c -> c.withTls(tls), s -> s);
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  private int get(SSLContext ctx, HttpClient.Version version) throws Exception {
    return TlsFixture.send(server, ctx, version, "GET").statusCode();
  }

  @Test
  void get_certificateFromTheClientCa_served() throws Exception {
    SSLContext ctx = ca.clientContext(clientCa.client("alice"));
    assertEquals(200, get(ctx, HttpClient.Version.HTTP_2));
    assertEquals(200, get(ctx, HttpClient.Version.HTTP_1_1));
  }

  @Test
  void get_noClientCertificate_refused() {
    assertThrows(IOException.class,
        () -> get(TlsFixture.trusting(ca), HttpClient.Version.HTTP_1_1));
    assertThrows(IOException.class,
        () -> get(TlsFixture.trusting(ca), HttpClient.Version.HTTP_2));
  }

  @Test
  void get_certificateFromAnotherCa_refused() throws Exception {
    // the server's own CA issued it: trusted by the client, not for client certificates
    SSLContext ctx = ca.clientContext(ca.client("mallory"));
    assertThrows(IOException.class, () -> get(ctx, HttpClient.Version.HTTP_1_1));
  }
}
