package dev.depthdav.auth;

import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashes: new ones are argon2id PHC strings; argon2id and bcrypt (as Apache {@code
 * htpasswd -B} writes it) are verified. Nothing here logs or keeps a password.
 */
public final class Passwords {
  /**
   * bcrypt as OpenBSD, crypt_blowfish and Apache write it: {@code $2a$}, {@code $2b$} or {@code
   * $2y$}, a two-digit cost, then 22 characters of salt and 31 of hash. The cost stops at 17, the
   * most {@code htpasswd -C} accepts: every step doubles the work of each login.
   */
  private static final Pattern BCRYPT =
      Pattern.compile("\\$2[aby]\\$(0[4-9]|1[0-7])\\$[./A-Za-z0-9]{53}");

  private Passwords() {}

  /** A new argon2id PHC string for {@code password}, with a fresh 16-byte salt. */
  public static String hash(char[] password) {
    return Argon2id.hash(password);
  }

  /** Whether {@code password} matches {@code encoded}; false for anything we cannot read. */
  public static boolean verify(char[] password, String encoded) {
    if (password == null || encoded == null) {
      return false;
    }
    try {
      if (isBcrypt(encoded)) {
        return OpenBSDBCrypt.checkPassword(encoded, password);
      }
      return Argon2id.verify(password, encoded);
    } catch (RuntimeException e) {
      // The library refused what our checks let through: an encoding we cannot read never matches.
      return false;
    }
  }

  /** Whether {@code encoded} is an argon2id or bcrypt string that {@link #verify} can check. */
  public static boolean wellFormed(String encoded) {
    return encoded != null && (isBcrypt(encoded) || Argon2id.parse(encoded) != null);
  }

  /** Whether {@code encoded} is a bcrypt string we accept. */
  static boolean isBcrypt(String encoded) {
    return BCRYPT.matcher(encoded).matches();
  }
}
