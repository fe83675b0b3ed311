package dev.depthdav.auth;

import java.util.Map;

/**
 * The parameters of a Digest Authorization header (RFC 7616 §3.4); {@code qop}, {@code cnonce},
 * {@code nc} and {@code opaque} are null when absent. {@code algorithm} defaults to MD5 (§3.4).
 */
public record DigestCredentials(
    String username,
    String realm,
    String nonce,
    String uri,
    String response,
    String algorithm,
    String qop,
    String cnonce,
    String nc,
    String opaque) {

  /** The credentials in {@code params}, names lower-cased as {@link AuthParams#parse} gives. */
  static DigestCredentials of(Map<String, String> params) {
    // RFC 7616 §3.4.4: a non-ASCII user name may come as username* (RFC 5987 encoding).
    if (params.containsKey("username*")) {
      throw new AuthSyntaxException("username* is not supported; use a US-ASCII user name");
    }
    // RFC 7616 §3.4.4: userhash=true hides the user name; our challenges never offer it.
    if ("true".equalsIgnoreCase(params.get("userhash"))) {
      throw new AuthSyntaxException("userhash is not supported and was not offered");
    }
    return new DigestCredentials(
        required(params, "username"),
        required(params, "realm"),
        required(params, "nonce"),
        required(params, "uri"),
        required(params, "response"),
        params.getOrDefault("algorithm", Digest.MD5),
        params.get("qop"),
        params.get("cnonce"),
        params.get("nc"),
        params.get("opaque"));
  }

  private static String required(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      throw new AuthSyntaxException("Digest credentials lack " + name + " (RFC 7616 §3.4)");
    }
    return value;
  }
}
