package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsConfigTest {
  private static TlsSettings parse(Map<String, String> env, String... args) throws Exception {
    return Config.parse(args, env::get).tls();
  }

  private static void usageError(String... args) {
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), args));
  }

  @Test
  void parse_noTlsFlags_off() throws Exception {
    TlsSettings tls = parse(Map.of());
    assertFalse(tls.enabled());
    assertEquals(TlsSettings.OFF, tls);
  }

  @Test
  void parse_certAndKey_onWithAbsolutePaths() throws Exception {
    TlsSettings tls = parse(Map.of(), "--tls-cert", "fullchain.pem", "--tls-key=privkey.pem",
        "--tls-reload", "5m", "--redirect-http", "8081");
    assertTrue(tls.enabled());
    assertEquals(Path.of("fullchain.pem").toAbsolutePath(), tls.cert());
    assertEquals(Path.of("privkey.pem").toAbsolutePath(), tls.key());
    assertNull(tls.keystore());
    assertEquals(Duration.ofMinutes(5), tls.reload());
    assertEquals(8081, tls.redirectPort());
  }

  @Test
  void parse_keystorePasswordFromEnvironment_keptOutOfToString() throws Exception {
    TlsSettings tls = parse(Map.of("DEPTHDAV_TLS_KEYSTORE_PASSWORD", "s3cret"),
        "--tls-keystore", "server.p12");
    assertEquals("s3cret", tls.keystorePassword());
    assertFalse(tls.toString().contains("s3cret"), tls.toString());
  }

  @Test
  void parse_certWithoutKey_usageError() {
    usageError("--tls-cert", "fullchain.pem");
    usageError("--tls-key", "privkey.pem");
  }

  @Test
  void parse_keystoreWithCert_usageError() {
    usageError("--tls-keystore", "a.p12", "--tls-cert", "c.pem", "--tls-key", "k.pem");
  }

  @Test
  void parse_clientCaOrRedirectWithoutTls_usageError() {
    usageError("--tls-client-ca", "ca.pem");
    usageError("--redirect-http", "8081");
  }

  @Test
  void parse_badRedirectPortOrReload_usageError() {
    usageError("--tls-cert", "c.pem", "--tls-key", "k.pem", "--redirect-http", "http");
    usageError("--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-reload", "0s");
  }

  @Test
  void usage_listsTheTlsFlagsAndWarnsOfPs() {
    String u = Config.usage();
    for (String flag : new String[] {"--tls-cert", "--tls-key", "--tls-keystore",
        "--tls-keystore-password", "--tls-client-ca", "--tls-reload", "--redirect-http"}) {
      assertTrue(u.contains(flag), flag);
    }
    assertTrue(u.contains("shows in ps"), u);
  }
}
