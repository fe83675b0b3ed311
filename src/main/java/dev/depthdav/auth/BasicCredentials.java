package dev.depthdav.auth;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Basic credentials (RFC 7617). The password is a char[] rather than a String so that the caller
 * can wipe it once it has been checked, and because {@link Passwords}, {@link CredentialCache} and
 * {@link Digest#ha1} take one; the header it came from is a String in the servlet container, so
 * this only shortens the time the password sits in memory. toString never shows it.
 */
public record BasicCredentials(String user, char[] password) {
  /** The credentials in an Authorization header value; null when its scheme is not Basic. */
  public static BasicCredentials parse(String authorization) {
    String token = AuthParams.afterScheme(authorization, "Basic");
    if (token == null) {
      return null;
    }
    // RFC 7617 §2: credentials = "Basic" 1*SP token68, the base64 of user-id ":" password.
    if (!AuthParams.isToken68(token)) {
      throw new AuthSyntaxException("Basic credentials are not one base64 token (RFC 7617 §2)");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw new AuthSyntaxException("Basic credentials are not valid base64 (RFC 7617 §2)");
    }
    // RFC 7617 §2.1: we announce charset="UTF-8", so the octets are read as UTF-8 only.
    char[] chars = Secrets.chars(bytes);
    Arrays.fill(bytes, (byte) 0);
    if (chars == null) {
      throw new AuthSyntaxException("Basic credentials are not UTF-8 (RFC 7617 §2.1)");
    }
    try {
      return split(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** A WWW-Authenticate value asking for Basic credentials in UTF-8 (RFC 7617 §2, §2.1). */
  public static String challenge(String realm) {
    return "Basic realm=" + AuthParams.quote(realm) + ", charset=\"UTF-8\"";
  }

  /** RFC 7617 §2: the user-id ends at the first colon; the password may contain colons. */
  private static BasicCredentials split(char[] chars) {
    int colon = 0;
    while (colon < chars.length && chars[colon] != ':') {
      colon++;
    }
    if (colon == chars.length) {
      throw new AuthSyntaxException(
          "Basic credentials have no ':' after the user-id (RFC 7617 §2)");
    }
    // RFC 7617 §2: neither part may contain control characters (CTL, and here also C1 controls).
    if (hasControl(chars, 0, colon)) {
      throw new AuthSyntaxException("the user-id contains a control character (RFC 7617 §2)");
    }
    if (hasControl(chars, colon + 1, chars.length)) {
      throw new AuthSyntaxException("the password contains a control character (RFC 7617 §2)");
    }
    return new BasicCredentials(
        new String(chars, 0, colon), Arrays.copyOfRange(chars, colon + 1, chars.length));
  }

  private static boolean hasControl(char[] chars, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.isISOControl(chars[i])) {
        return true;
      }
    }
    return false;
  }

  /** Equal when user and password are equal (by content, not by array identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof BasicCredentials b
        && Objects.equals(user, b.user)
        && Arrays.equals(password, b.password);
  }

  /** Hashes the user only, so the password never feeds a value that might be logged. */
  @Override
  public int hashCode() {
    return Objects.hashCode(user);
  }

  /** The user, never the password. */
  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + ", password=(hidden)]";
  }
}
