package dev.depthdav.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under a random key that lives and dies with this object (never stored). */
final class Hmac {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key = new SecretKeySpec(Secrets.random(32), ALGORITHM);

  /** The MAC of the concatenated {@code parts}. */
  byte[] mac(byte[]... parts) {
    try {
      // A Mac is not thread-safe; a fresh one per call costs far less than the hashing around it.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
    }
  }
}
