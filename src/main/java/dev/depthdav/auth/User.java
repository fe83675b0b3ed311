package dev.depthdav.auth;

/**
 * An account of the server.
 *
 * @param name the login name: 1 to 256 characters, no colon (RFC 7617 §2: Basic cannot carry
 *     one in a user-id), no control characters
 * @param passwordHash the password's hash as {@link Passwords} encodes it, never the password
 * @param root the folder the user sees as {@code /}: a decoded path, "/" for the whole store
 * @param readOnly whether every method that changes something is refused (403)
 * @param quota most bytes of content under {@code root}, or {@link #NO_QUOTA}
 * @param admin whether the user may list and break the locks and see the operations of others
 * @param digest the user's Digest secrets (password-equivalent, see {@link DigestHa1}), or null
 *     when the user cannot log in with Digest
 */
public record User(String name, String passwordHash, String root, boolean readOnly, long quota,
    boolean admin, DigestHa1 digest) {
  /** The quota of a user who has none. */
  public static final long NO_QUOTA = -1;

  public User {
    String bad = nameProblem(name);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
  }

  /** What is wrong with {@code name} as a login name, or null when nothing is. */
  public static String nameProblem(String name) {
    if (name == null || name.isEmpty() || name.length() > 256) {
      return "a user name has 1 to 256 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ':' || c < 0x20 || c == 0x7f) {
        return "a user name cannot contain ':' or control characters";
      }
    }
    return null;
  }

  /** A user who cannot log in with Digest. */
  public User(String name, String passwordHash, String root, boolean readOnly, long quota,
      boolean admin) {
    this(name, passwordHash, root, readOnly, quota, admin, null);
  }

  /**
   * The same user with another password: its hash and the Digest secrets derived from the same
   * password, or null, so that no secret of the old password outlives the change.
   */
  public User withPassword(String hash, DigestHa1 newDigest) {
    return new User(name, hash, root, readOnly, quota, admin, newDigest);
  }
}
