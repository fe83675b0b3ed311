package dev.depthdav.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the server speaks TLS, from the {@code --tls-*} and {@code --redirect-http} flags. The
 * server's certificate comes either from PEM files ({@code cert} and {@code key}) or from a
 * PKCS#12 {@code keystore}; with neither, TLS is off and the other settings are ignored.
 *
 * @param cert PEM certificate chain, leaf first (an ACME client's fullchain.pem), or null
 * @param key PEM private key of the leaf (PKCS#8 or the traditional RSA/EC forms), or null
 * @param keystore PKCS#12 file holding the key and its chain, or null
 * @param keystorePassword password of {@code keystore} and of its key ("" when none)
 * @param clientCa PEM file of the CA certificates a client certificate must chain to, or null
 *     when clients need none
 * @param redirectPort plain HTTP port that answers 308 to the https URL; 0 when off
 * @param reload how often the files are looked at for a renewed certificate
 */
public record TlsSettings(Path cert, Path key, Path keystore, String keystorePassword,
    Path clientCa, int redirectPort, Duration reload) {

  /** TLS off. */
  public static final TlsSettings OFF = new TlsSettings(null, null, null, "", null, 0,
      Duration.ofSeconds(30));

  /** Refuses settings that cannot be meant: half a PEM pair, PEM and keystore at once. */
  public TlsSettings {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (cert != null && keystore != null) {
      throw new IllegalArgumentException("--tls-keystore excludes --tls-cert and --tls-key");
    }
    if (cert == null && keystore == null && (clientCa != null || redirectPort != 0)) {
      // Said rather than ignored: a client CA without TLS would serve everyone unauthenticated.
      throw new IllegalArgumentException(
          "--tls-client-ca and --redirect-http need --tls-cert/--tls-key or --tls-keystore");
    }
    if (keystorePassword == null) {
      throw new IllegalArgumentException("no keystore password (\"\" for none)");
    }
    if (reload.isNegative() || reload.isZero()) {
      throw new IllegalArgumentException("--tls-reload must be positive: " + reload);
    }
  }

  /** Whether the main port speaks TLS. */
  public boolean enabled() {
    return cert != null || keystore != null;
  }

  /** The files whose change means a renewed certificate (or other client CAs). */
  List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (Path p : new Path[] {cert, key, keystore, clientCa}) {
      if (p != null) {
        files.add(p);
      }
    }
    return files;
  }

  /** Keeps the password out of logs and exception messages. */
  @Override
  public String toString() {
    return "TlsSettings[cert=" + cert + ", key=" + key + ", keystore=" + keystore
        + ", keystorePassword=" + (keystorePassword.isEmpty() ? "" : "***") + ", clientCa="
        + clientCa + ", redirectPort=" + redirectPort + ", reload=" + reload + "]";
  }
}
