package dev.depthdav.auth;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A user's Digest secrets: H(username ":" realm ":" password) for SHA-256 and for MD5 (RFC 7616
 * §3.4.2), in lower-case hex. Each is password-equivalent in its realm (RFC 7616 §5.2: whoever
 * holds it answers any challenge of that realm without knowing the password), so it is kept only
 * for users who ask for Digest, and toString never shows it.
 *
 * @param sha256 the SHA-256 HA1, 64 hex digits
 * @param md5 the MD5 HA1, 32 hex digits
 */
public record DigestHa1(String sha256, String md5) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

  public DigestHa1 {
    sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
    md5 = md5 == null ? null : md5.toLowerCase(Locale.ROOT);
    if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("the SHA-256 HA1 must be 64 hex digits");
    }
    if (md5 == null || !MD5_HEX.matcher(md5).matches()) {
      throw new IllegalArgumentException("the MD5 HA1 must be 32 hex digits");
    }
  }

  /** Both HA1 values of {@code user} with {@code password} in {@code realm}. */
  public static DigestHa1 of(String user, String realm, char[] password) {
    HexFormat hex = HexFormat.of();
    return new DigestHa1(
        hex.formatHex(Digest.ha1(Digest.SHA_256, user, realm, password)),
        hex.formatHex(Digest.ha1(Digest.MD5, user, realm, password)));
  }

  /** The HA1 for a Digest {@code algorithm} name (case-insensitive), or null for any other. */
  byte[] forAlgorithm(String algorithm) {
    if (Digest.SHA_256.equalsIgnoreCase(algorithm)) {
      return HexFormat.of().parseHex(sha256);
    }
    return Digest.MD5.equalsIgnoreCase(algorithm) ? HexFormat.of().parseHex(md5) : null;
  }

  /** Says that there are values, never what they are. */
  @Override
  public String toString() {
    return "DigestHa1[(hidden)]";
  }
}
