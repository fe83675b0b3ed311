package dev.depthdav.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * The server's private key with its chain, and the CAs a client certificate must chain to, as
 * in-memory PKCS#12 stores ready for Jetty's SslContextFactory.
 *
 * @param keys one key entry, {@link #ALIAS}, protected by {@link #PASSWORD}
 * @param trust the client CAs as trusted certificates, or null when clients need none
 */
record TlsKeys(KeyStore keys, KeyStore trust) {
  static final String ALIAS = "server";

  /**
   * Protects the key entry of a store that lives only in this process's memory: it guards
   * nothing that reading the memory would not give anyway, and the key manager needs one.
   */
  static final String PASSWORD = "in-memory";

  /** Reads the files the settings name; each problem is reported with the file it is in. */
  static TlsKeys load(TlsSettings s) throws TlsFileException {
    KeyStore keys = s.keystore() != null
        ? fromKeystore(s.keystore(), s.keystorePassword())
        : fromPem(s.cert(), s.key());
    return new TlsKeys(keys, s.clientCa() == null ? null : trust(s.clientCa()));
  }

  private static KeyStore fromPem(Path certFile, Path keyFile) throws TlsFileException {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    if (!matches(key, chain.get(0))) {
      throw new TlsFileException(keyFile, "this private key does not belong to the first"
          + " certificate of " + certFile + " (" + chain.get(0).getSubjectX500Principal() + ")");
    }
    return store(key, chain.toArray(Certificate[]::new));
  }

  private static KeyStore fromKeystore(Path file, String password) throws TlsFileException {
    KeyStore source;
    try (InputStream in = Files.newInputStream(file)) {
      source = KeyStore.getInstance("PKCS12");
      source.load(in, password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsFileException(file, "cannot open the PKCS#12 keystore (wrong password?)", e);
    }
    try {
      for (String alias : Collections.list(source.aliases())) {
        Key key = source.isKeyEntry(alias) ? source.getKey(alias, password.toCharArray()) : null;
        Certificate[] chain = source.getCertificateChain(alias);
        if (key instanceof PrivateKey pk && chain != null && chain.length > 0) {
          if (!(chain[0] instanceof X509Certificate leaf) || !matches(pk, leaf)) {
            throw new TlsFileException(file, "the key of entry " + alias
                + " does not belong to its certificate");
          }
          return store(pk, chain);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new TlsFileException(file, "cannot read the private key (its password?)", e);
    }
    throw new TlsFileException(file, "no private key with a certificate chain in the keystore");
  }

  private static KeyStore trust(Path file) throws TlsFileException {
    List<X509Certificate> cas = PemFiles.certificates(file);
    try {
      KeyStore trust = empty();
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca" + i, cas.get(i));
      }
      return trust;
    } catch (GeneralSecurityException e) {
      throw new TlsFileException(file, "cannot hold these CA certificates", e);
    }
  }

  private static KeyStore store(PrivateKey key, Certificate[] chain) {
    try {
      KeyStore keys = empty();
      keys.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain);
      return keys;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("an in-memory PKCS#12 store refused a key", e);
    }
  }

  private static KeyStore empty() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("an empty key store needs no reading", e);
    }
    return store;
  }

  /**
   * Whether {@code key} is the private half of the certificate's public key: it signs a random
   * message and the certificate's key verifies it, which works for RSA and EC alike.
   */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    if (!key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // EdDSA names its own signature: Ed25519, Ed448
    };
    try {
      byte[] message = new byte[32];
      new SecureRandom().nextBytes(message);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
