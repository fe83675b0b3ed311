package dev.depthdav.auth;

/**
 * Who a request acts for, once authenticated: what it may see and do.
 *
 * @param name the user's name; null for an anonymous client
 * @param root the folder the principal sees as {@code /} (decoded, "/" for the whole store)
 * @param readOnly whether changes are refused
 * @param quota most bytes of content under {@code root}, or {@link User#NO_QUOTA}
 * @param admin whether the principal may act on the locks and operations of others
 */
public record Principal(String name, String root, boolean readOnly, long quota, boolean admin) {
  /**
   * Any client of a server that has no users and no {@code --anonymous} setting: everything is
   * allowed, which is why such a server starts only on a loopback address.
   */
  public static final Principal OPEN = new Principal(null, "/", false, User.NO_QUOTA, true);

  /** A client without credentials on a server started with {@code --anonymous read}. */
  public static final Principal ANONYMOUS_READ =
      new Principal(null, "/", true, User.NO_QUOTA, false);

  /** The principal of an authenticated user. */
  public static Principal of(User u) {
    return new Principal(u.name(), u.root(), u.readOnly(), u.quota(), u.admin());
  }

  /** The name shown in logs: the user's, or "-" for an anonymous client. */
  public String logName() {
    return name == null ? "-" : name;
  }
}
