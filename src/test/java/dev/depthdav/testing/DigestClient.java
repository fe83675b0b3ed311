package dev.depthdav.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of Digest (RFC 7616), written from the RFC's formulas rather than with the
 * server's code, so that a test checks one against the other.
 */
public final class DigestClient {
  /** The cnonce every answer uses (RFC 7616 §3.4: any string the client picks). */
  public static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  /** The nonce count of every answer: the first use of a nonce. */
  public static final String NC = "00000001";

  private static final Pattern PARAM =
      Pattern.compile("([A-Za-z0-9_-]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

  private DigestClient() {}

  /** The parameters of one challenge, such as {@code Digest realm="r", nonce="n"}. */
  public static Map<String, String> params(String challenge) {
    Map<String, String> out = new HashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      out.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return out;
  }

  /** The Authorization value answering {@code challenge} for {@code method} on {@code uri}. */
  public static String authorization(String challenge, String user, String password,
      String method, String uri) {
    Map<String, String> p = params(challenge);
    return authorization(p.get("algorithm"), p.get("realm"), p.get("nonce"), user, password,
        method, uri);
  }

  /** The Authorization value for a given realm and nonce, with qop=auth. */
  public static String authorization(String algorithm, String realm, String nonce, String user,
      String password, String method, String uri) {
    // RFC 7616 §3.4.2, §3.4.3: A1 = username:realm:password, A2 = method:request-uri.
    String ha1 = hex(algorithm, user + ":" + realm + ":" + password);
    String ha2 = hex(algorithm, method + ":" + uri);
    // RFC 7616 §3.4.1: response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)), KD(s, d) = H(s:d).
    String response = hex(algorithm, ha1 + ":" + nonce + ":" + NC + ":" + CNONCE + ":auth:" + ha2);
    return "Digest username=\"" + user + "\", realm=\"" + realm + "\", uri=\"" + uri
        + "\", algorithm=" + algorithm + ", nonce=\"" + nonce + "\", nc=" + NC + ", cnonce=\""
        + CNONCE + "\", qop=auth, response=\"" + response + "\"";
  }

  private static String hex(String algorithm, String text) {
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(algorithm, e);
    }
  }
}
