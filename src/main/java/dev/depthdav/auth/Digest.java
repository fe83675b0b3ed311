package dev.depthdav.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * HTTP Digest authentication (RFC 7616) on the server, for clients that will not send Basic over
 * plain HTTP (Windows WebClient). Only qop=auth with MD5 or SHA-256 is accepted: the -sess variants
 * and SHA-512-256 are never offered in our challenges, and RFC 7616 §3.7 has the client choose
 * among the offered ones, so accepting them would only add paths that no client takes.
 */
public final class Digest {
  /** The algorithm name RFC 7616 §3.3 gives MD5, kept for clients older than SHA-256. */
  public static final String MD5 = "MD5";

  /** The algorithm name of SHA-256 (RFC 7616 §3.3). */
  public static final String SHA_256 = "SHA-256";

  /** How long a nonce stays fresh before a request with it is answered stale. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  /** The outcome of {@link #verify}. */
  public enum Result {
    /** The response is right and the nonce fresh. */
    OK,
    /** The response is right but the nonce old or another instance's: challenge with stale=true. */
    STALE,
    /** Anything else: wrong password, tampered nonce, unsupported algorithm or qop. */
    BAD
  }

  private final DigestNonce nonces;

  /** Digest with nonces fresh for {@link #DEFAULT_LIFETIME}. */
  public Digest() {
    this(DEFAULT_LIFETIME);
  }

  /** Digest with nonces fresh for {@code lifetime}. */
  public Digest(Duration lifetime) {
    this.nonces = new DigestNonce(lifetime);
  }

  /**
   * WWW-Authenticate values for {@code realm}: SHA-256, then MD5 (RFC 7616 §3.7: preferred first).
   */
  public List<String> challenges(String realm, boolean stale, Instant now) {
    String nonce = nonces.issue(realm, now);
    return List.of(challenge(realm, SHA_256, nonce, stale), challenge(realm, MD5, nonce, stale));
  }

  /** The credentials in an Authorization header value; null when its scheme is not Digest. */
  public static DigestCredentials parse(String authorization) {
    String params = AuthParams.afterScheme(authorization, "Digest");
    return params == null ? null : DigestCredentials.of(AuthParams.parse(params));
  }

  /**
   * Checks {@code c} for a request with {@code method}, given the stored {@link #ha1} of the user
   * for {@code c.algorithm()} and {@code c.realm()}. The caller checks that {@code c.realm()} is
   * its realm and {@code c.uri()} its request-target (RFC 7616 §3.4.6).
   */
  public Result verify(DigestCredentials c, String method, byte[] ha1, Instant now) {
    String algorithm = jdkName(c.algorithm());
    // RFC 7616 §3.4: we send qop="auth", so cnonce and nc must be present.
    boolean usable =
        algorithm != null
            && ha1 != null
            && "auth".equalsIgnoreCase(c.qop())
            && c.cnonce() != null
            && c.nc() != null
            && c.nc().matches("[0-9a-fA-F]{8}");
    if (!usable || ha1.length != digest(algorithm).getDigestLength()) {
      return Result.BAD;
    }
    byte[] expected = response(algorithm, ha1, c, method).getBytes(StandardCharsets.US_ASCII);
    byte[] given = c.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return Result.BAD;
    }
    // Only now, knowing the client has the password, may a nonce be called stale (RFC 7616 §3.3).
    return nonces.check(c.nonce(), c.realm(), now);
  }

  /**
   * H(username ":" realm ":" password) (RFC 7616 §3.4.2), what a server keeps per user, realm and
   * algorithm. It is password-equivalent: whoever holds it answers any challenge of that realm, so
   * store it as carefully as a password. Strings are UTF-8 (RFC 7616 §3.3, charset).
   */
  public static byte[] ha1(String algorithm, String user, String realm, char[] password) {
    String name = jdkName(algorithm);
    if (name == null) {
      throw new IllegalArgumentException("unsupported Digest algorithm " + algorithm);
    }
    MessageDigest md = digest(name);
    md.update((user + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
    byte[] utf8 = Secrets.utf8(password);
    md.update(utf8);
    Arrays.fill(utf8, (byte) 0);
    return md.digest();
  }

  /** RFC 7616 §3.4.1: KD(H(A1), nonce:nc:cnonce:qop:H(A2)) with A2 = method:uri, in hex. */
  static String response(String algorithm, byte[] ha1, DigestCredentials c, String method) {
    String ha2 = hex(algorithm, method + ":" + c.uri());
    String data =
        String.join(
            ":", HexFormat.of().formatHex(ha1), c.nonce(), c.nc(), c.cnonce(), c.qop(), ha2);
    return hex(algorithm, data);
  }

  private static String challenge(String realm, String algorithm, String nonce, boolean stale) {
    return "Digest realm="
        + AuthParams.quote(realm)
        + ", qop=\"auth\", algorithm="
        + algorithm
        + ", nonce=\""
        + nonce
        + "\", charset=UTF-8"
        + (stale ? ", stale=true" : "");
  }

  /** The JDK's name for a Digest algorithm we accept (names are case-insensitive); else null. */
  private static String jdkName(String algorithm) {
    if (MD5.equalsIgnoreCase(algorithm)) {
      return MD5;
    }
    return SHA_256.equalsIgnoreCase(algorithm) ? SHA_256 : null;
  }

  private static String hex(String algorithm, String text) {
    return HexFormat.of()
        .formatHex(digest(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + algorithm, e);
    }
  }
}
