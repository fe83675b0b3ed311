package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.depthdav.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewed certificates: the check is called directly, no timer is waited for. */
class TlsReloadTest {
  @TempDir Path dir;
  private TestCa ca;
  private TestCa.Issued first;
  private DavServer server;

  @BeforeEach
  void start() throws Exception {
    ca = TestCa.create("depthdav test CA");
    first = ca.server();
    TlsSettings tls = TlsFixture.writePem(dir, first);
    Files.createDirectories(dir.resolve("data"));
    server = TestServers.start(dir.resolve("data"), c -> c.withTls(tls), s -> s);
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  /** Writes {@code issued} beside the live files, then moves them in, as certbot renews. */
  private void replace(TestCa.Issued chainOf, TestCa.Issued keyOf) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    TestCa.writeChain(staging.resolve("fullchain.pem"), chainOf);
    TestCa.writePkcs8Key(staging.resolve("privkey.pem"), keyOf.keys().getPrivate());
    for (String name : new String[] {"fullchain.pem", "privkey.pem"}) {
      Files.move(staging.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void checkNow_filesUntouched_unchanged() throws Exception {
    assertEquals(Tls.Check.UNCHANGED, server.tls().checkNow());
    assertEquals(first.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
  }

  @Test
  void checkNow_renewedCertificate_newConnectionsGetIt() throws Exception {
    TestCa.Issued renewed = ca.server();
    assertNotEquals(first.serial(), renewed.serial());
    replace(renewed, renewed);
    assertEquals(first.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
    assertEquals(Tls.Check.RELOADED, server.tls().checkNow());
    assertEquals(renewed.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
    assertEquals(Tls.Check.UNCHANGED, server.tls().checkNow());
  }

  @Test
  void checkNow_keyOfAnotherCertificate_keepsTheOldOneUntilFixed() throws Exception {
    TestCa.Issued renewed = ca.server();
    replace(renewed, ca.server()); // half-way through a renewal: the new chain, a wrong key
    assertEquals(Tls.Check.REFUSED, server.tls().checkNow());
    assertEquals(first.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
    replace(renewed, renewed);
    assertEquals(Tls.Check.RELOADED, server.tls().checkNow());
    assertEquals(renewed.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
  }

  @Test
  void checkNow_chainFileEmptied_keepsTheOldOne() throws Exception {
    Files.writeString(dir.resolve("fullchain.pem"), "");
    assertEquals(Tls.Check.REFUSED, server.tls().checkNow());
    assertEquals(first.serial(), TlsFixture.servedSerial(server, TlsFixture.trusting(ca)));
  }
}
