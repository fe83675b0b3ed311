package dev.depthdav.auth;

/**
 * An Authorization header that does not follow its scheme's syntax (RFC 7235 §2.1, RFC 7617 §2, RFC
 * 7616 §3.4); the dav package answers it with 400. The message names what was wrong and never
 * carries a password.
 */
public final class AuthSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A syntax error described by {@code message}, which must not contain secrets. */
  public AuthSyntaxException(String message) {
    super(message);
  }
}
