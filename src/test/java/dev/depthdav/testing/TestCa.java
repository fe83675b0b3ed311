package dev.depthdav.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away certificate authority for TLS tests: it issues server certificates for
 * 127.0.0.1 and localhost and client certificates, and writes them as ACME clients and
 * keytool would. Keys and signatures come from the JDK's providers; Bouncy Castle only builds
 * and encodes the certificates. Validity is around the real clock, because the JDK checks
 * certificates against it.
 */
public final class TestCa {
  private static final AtomicLong SERIALS = new AtomicLong(0x1000);

  /** A key and the certificate issued for it, with the chain up to (and with) the CA. */
  public record Issued(KeyPair keys, X509Certificate cert, List<X509Certificate> chain) {
    /** The certificate's serial number. */
    public BigInteger serial() {
      return cert.getSerialNumber();
    }
  }

  private final KeyPair keys;
  private final X509Certificate cert;

  private TestCa(KeyPair keys, X509Certificate cert) {
    this.keys = keys;
    this.cert = cert;
  }

  /** A new self-signed CA named {@code name}, with an RSA key. */
  public static TestCa create(String name) throws GeneralSecurityException {
    KeyPair keys = rsa();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = builder(subject, subject, keys);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new TestCa(keys, sign(b, keys.getPrivate()));
  }

  /** The CA's own certificate. */
  public X509Certificate certificate() {
    return cert;
  }

  /** A server certificate for 127.0.0.1 and localhost with a new RSA key. */
  public Issued server() throws GeneralSecurityException {
    return server(rsa());
  }

  /** A server certificate for 127.0.0.1 and localhost with a new EC (P-256) key. */
  public Issued serverEc() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return server(g.generateKeyPair());
  }

  private Issued server(KeyPair subjectKeys) throws GeneralSecurityException {
    X509v3CertificateBuilder b = builder(issuer(), new X500Name("CN=localhost"), subjectKeys);
    try {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")}));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return issued(subjectKeys, sign(b, keys.getPrivate()));
  }

  /** A client certificate for {@code name} with a new RSA key. */
  public Issued client(String name) throws GeneralSecurityException {
    KeyPair subjectKeys = rsa();
    X509v3CertificateBuilder b = builder(issuer(), new X500Name("CN=" + name), subjectKeys);
    try {
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return issued(subjectKeys, sign(b, keys.getPrivate()));
  }

  /** A TLS client context that trusts this CA and, when {@code client} is not null, presents it. */
  public SSLContext clientContext(Issued client) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(pkcs12(client, "client"), "client".toCharArray());
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Writes the chain as fullchain.pem is written: the leaf, then the CA. */
  public static Path writeChain(Path file, Issued issued) throws IOException {
    return writePem(file, issued.chain().toArray());
  }

  /** Writes the CA's certificate as PEM. */
  public Path writeCertificate(Path file) throws IOException {
    return writePem(file, cert);
  }

  /** Writes the key as PKCS#8 ({@code BEGIN PRIVATE KEY}), as certbot's privkey.pem. */
  public static Path writePkcs8Key(Path file, PrivateKey key) throws IOException {
    return writePem(file, new JcaPKCS8Generator(key, null));
  }

  /**
   * Writes the key in OpenSSL's traditional form ({@code BEGIN RSA PRIVATE KEY}, or {@code BEGIN
   * EC PRIVATE KEY} with its named curve inside, RFC 5915 §3, as openssl writes it: the JDK's
   * PKCS#8 encoding keeps the curve only outside, so it is moved in here).
   */
  public static Path writeTraditionalKey(Path file, PrivateKey key) throws IOException {
    if (!key.getAlgorithm().equals("EC")) {
      return writePem(file, key);
    }
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey bare = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey full = new ECPrivateKey(256, bare.getKey(), // 256: P-256, the one curve here
        info.getPrivateKeyAlgorithm().getParameters());
    return writePem(file, new PemObject("EC PRIVATE KEY", full.getEncoded()));
  }

  /** Writes key and chain as a PKCS#12 keystore protected by {@code password}. */
  public static Path writePkcs12(Path file, Issued issued, String password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      pkcs12(issued, password).store(out, password.toCharArray());
    }
    return file;
  }

  private static KeyStore pkcs12(Issued issued, String password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("key", issued.keys().getPrivate(), password.toCharArray(),
        issued.chain().toArray(Certificate[]::new));
    return ks;
  }

  private static Path writePem(Path file, Object... objects) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      w.write(text.toString());
    }
    return file;
  }

  private Issued issued(KeyPair subjectKeys, X509Certificate leaf) {
    return new Issued(subjectKeys, leaf, List.of(leaf, cert));
  }

  private X500Name issuer() {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
        subject, subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }
}
