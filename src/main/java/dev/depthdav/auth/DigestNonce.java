package dev.depthdav.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Stateless Digest nonces. RFC 7616 §3.3 leaves the nonce's form to the server; ours is base64url
 * of an instance id (8 bytes), the issue time (8 bytes, epoch milliseconds) and the first 16 bytes
 * of HMAC-SHA256 over both and the realm, under a key that lives only in this object. Nothing is
 * stored per nonce, so nonce counts are not tracked: a request replayed unchanged within the
 * lifetime is accepted (RFC 7616 §5.5 leaves that trade-off to the server).
 */
final class DigestNonce {
  private static final int ID = 8;
  private static final int HEAD = ID + 8;
  private static final int LENGTH = HEAD + 16;

  /** A nonce issued this far in the future (clocks of several threads) is still believed. */
  private static final Duration SKEW = Duration.ofSeconds(5);

  private final Hmac hmac = new Hmac();
  private final byte[] instance = Secrets.random(ID);
  private final Duration lifetime;

  DigestNonce(Duration lifetime) {
    this.lifetime = lifetime;
  }

  /** A new nonce for {@code realm}, issued at {@code now}. */
  String issue(String realm, Instant now) {
    byte[] head = ByteBuffer.allocate(HEAD).put(instance).putLong(now.toEpochMilli()).array();
    byte[] nonce = Arrays.copyOf(head, LENGTH);
    System.arraycopy(mac(head, realm), 0, nonce, HEAD, LENGTH - HEAD);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
  }

  /**
   * OK for a nonce we issued for {@code realm} within the lifetime; STALE for one too old or from
   * another instance (a restart), so that the client retries without asking its user (RFC 7616
   * §3.3, stale); BAD for anything else.
   */
  Digest.Result check(String nonce, String realm, Instant now) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return Digest.Result.BAD;
    }
    if (raw.length != LENGTH) {
      return Digest.Result.BAD;
    }
    if (!MessageDigest.isEqual(instance, Arrays.copyOf(raw, ID))) {
      return Digest.Result.STALE;
    }
    byte[] head = Arrays.copyOf(raw, HEAD);
    byte[] expected = Arrays.copyOf(mac(head, realm), LENGTH - HEAD);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, HEAD, LENGTH))) {
      return Digest.Result.BAD;
    }
    Instant issued = Instant.ofEpochMilli(ByteBuffer.wrap(raw, ID, 8).getLong());
    if (issued.isAfter(now.plus(SKEW))) {
      return Digest.Result.BAD;
    }
    return issued.plus(lifetime).isBefore(now) ? Digest.Result.STALE : Digest.Result.OK;
  }

  private byte[] mac(byte[] head, String realm) {
    return hmac.mac(head, realm.getBytes(StandardCharsets.UTF_8));
  }
}
