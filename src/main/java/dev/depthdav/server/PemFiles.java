package dev.depthdav.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys from PEM files (RFC 7468) as ACME clients write them. Bouncy
 * Castle only parses; the keys and certificates are built by the JDK's own providers (no
 * converter is given a provider, and none is registered).
 */
final class PemFiles {
  private PemFiles() {}

  /** Every certificate in {@code file}, in file order (for a chain: leaf first); never empty. */
  static List<X509Certificate> certificates(Path file) throws TlsFileException {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object o : objects(file)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          certs.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw new TlsFileException(file, "unreadable certificate", e);
        }
      }
    }
    if (certs.isEmpty()) {
      throw new TlsFileException(file, "no PEM certificate (BEGIN CERTIFICATE) in the file");
    }
    return certs;
  }

  /**
   * The one private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}, RFC 5208) or the
   * traditional OpenSSL forms ({@code RSA PRIVATE KEY}, RFC 8017 A.1.2; {@code EC PRIVATE KEY},
   * RFC 5915). Encrypted keys are refused: the server could not ask for their passphrase.
   */
  static PrivateKey privateKey(Path file) throws TlsFileException {
    PrivateKeyInfo found = null;
    for (Object o : objects(file)) {
      if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new TlsFileException(file, "the private key is encrypted; give it unencrypted");
      }
      PrivateKeyInfo info = o instanceof PrivateKeyInfo p ? p
          : o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
          : null; // certificates, EC PARAMETERS before an EC key
      if (info != null && found != null) {
        throw new TlsFileException(file, "more than one private key in the file");
      }
      found = info != null ? info : found;
    }
    if (found == null) {
      throw new TlsFileException(file, "no PEM private key (BEGIN PRIVATE KEY) in the file");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(found);
    } catch (IOException e) {
      throw new TlsFileException(file, "unreadable private key", e);
    }
  }

  /** The PEM objects of a file, as Bouncy Castle's parser types them. */
  private static List<Object> objects(Path file) throws TlsFileException {
    List<Object> objects = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) { // the parser reports bad ASN.1 unchecked too
      throw new TlsFileException(file, "cannot read PEM", e);
    }
    return objects;
  }
}
