package dev.depthdav.server;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.DigestHa1;
import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import dev.depthdav.auth.Users;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Store;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code depthdav user add|passwd|remove|list}: manages the accounts in a data folder. The
 * password is read here (twice from the terminal, or one line of standard input with
 * {@code --password-stdin}) and only its hash goes further, to the store directly when the server
 * is stopped or through the running server's control socket ({@link Control}). With {@code
 * --digest} the Digest secrets ({@link DigestHa1}) go along: password-equivalent, but only for
 * this server's realm.
 */
final class UserCommand {
  static final String USAGE = """
      usage: depthdav user add NAME [--root /folder] [--read-only] [--quota SIZE] [--admin]
                               [--digest] [--password-stdin] [--data DIR]
             depthdav user passwd NAME [--digest] [--password-stdin] [--data DIR]
             depthdav user remove NAME [--data DIR]
             depthdav user list [--data DIR]
      With --db (and --db-user, --db-password, --blobs) as the server was started, the users go
      to its PostgreSQL database; the environment variables count as for the server.
      SIZE is bytes or a number with K, M, G or T (powers of 1024); the password is asked twice
      on the terminal, or read as one line from standard input with --password-stdin.
      --digest also stores what Digest logins need (a server started with --digest): hashes
      that are password-equivalent for this server; passwd without it removes them.
      """;

  /** A refused command; its message says why. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private UserCommand() {}

  /**
   * Turns the command line into what the store side runs: the password, where one is needed, is
   * read and replaced by {@code --password-hash HASH}, and with {@code --digest} also by {@code
   * --ha1-sha256 HEX --ha1-md5 HEX}; {@code --data DIR} is taken out.
   */
  static List<String> prepare(List<String> args, InputStream stdin, Console console)
      throws Refused, IOException {
    List<String> out = new ArrayList<>(args);
    boolean fromStdin = out.remove("--password-stdin");
    boolean digest = out.remove("--digest");
    if (out.isEmpty()) {
      throw new Refused("a subcommand is needed: add, passwd, remove or list");
    }
    String verb = out.get(0);
    boolean setsPassword = verb.equals("add") || verb.equals("passwd");
    if (digest && (!setsPassword || out.contains("--password-hash"))) {
      throw new Refused("--digest goes with add or passwd, which read the password");
    }
    if (setsPassword && !out.contains("--password-hash")) {
      char[] pw = fromStdin ? readLine(stdin) : ask(console);
      try {
        if (pw.length == 0) {
          throw new Refused("the password is empty");
        }
        out.add("--password-hash");
        out.add(Passwords.hash(pw));
        if (digest) {
          addDigest(out, pw);
        }
      } finally {
        Arrays.fill(pw, '\0');
      }
    }
    return out;
  }

  /** Adds the Digest secrets of the user named after the verb, for the server's realm. */
  private static void addDigest(List<String> out, char[] pw) throws Refused {
    String name = out.size() > 1 ? out.get(1) : null;
    if (name == null || User.nameProblem(name) != null || name.startsWith("--")) {
      throw new Refused("a user name is needed");
    }
    DigestHa1 ha1 = DigestHa1.of(name, Authenticator.REALM, pw);
    out.addAll(List.of("--ha1-sha256", ha1.sha256(), "--ha1-md5", ha1.md5()));
  }

  private static char[] readLine(InputStream in) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null) {
      return new char[0];
    }
    return line.toCharArray();
  }

  private static char[] ask(Console console) throws Refused {
    if (console == null) {
      throw new Refused("no terminal to ask the password on: use --password-stdin");
    }
    char[] a = console.readPassword("password: ");
    char[] b = console.readPassword("again: ");
    if (a == null || b == null || !Arrays.equals(a, b)) {
      throw new Refused("the two passwords differ");
    }
    Arrays.fill(b, '\0');
    return a;
  }

  /** Runs a prepared command against {@code users}; writes what it did to {@code out}. */
  static void run(List<String> args, Users users, Store store, PrintStream out) throws Refused {
    List<String> rest = new ArrayList<>(args);
    String verb = rest.remove(0);
    switch (verb) {
      case "list" -> {
        none(rest);
        for (User u : users.list()) {
          out.println(u.name() + "\troot=" + u.root() + (u.readOnly() ? "\tread-only" : "")
              + (u.quota() == User.NO_QUOTA ? "" : "\tquota=" + u.quota())
              + (u.admin() ? "\tadmin" : ""));
        }
      }
      case "add" -> {
        String name = name(rest);
        String hash = value(rest, "--password-hash", null);
        DigestHa1 digest = digest(rest);
        String root = root(value(rest, "--root", "/"));
        boolean readOnly = rest.remove("--read-only");
        boolean admin = rest.remove("--admin");
        long quota = quota(value(rest, "--quota", null));
        none(rest);
        User u = user(name, hash, root, readOnly, quota, admin, digest);
        ensureFolder(store, root);
        try {
          users.add(u);
        } catch (IllegalStateException e) {
          throw new Refused(e.getMessage());
        }
        out.println("added user " + name + " (root " + root + (digest == null ? "" : ", Digest")
            + ")");
      }
      case "passwd" -> {
        String name = name(rest);
        String hash = value(rest, "--password-hash", null);
        DigestHa1 digest = digest(rest);
        none(rest);
        User u = users.find(name).orElseThrow(() -> new Refused("no user " + name));
        // Without --digest the old Digest secrets go too: they would still open the account.
        users.update(u.withPassword(check(hash), digest));
        out.println("changed the password of " + name + (digest == null ? "" : " (with Digest)"));
      }
      case "remove" -> {
        String name = name(rest);
        none(rest);
        if (!users.remove(name)) {
          throw new Refused("no user " + name);
        }
        out.println("removed user " + name + " (the files stay)");
      }
      default -> throw new Refused("unknown subcommand " + verb);
    }
  }

  private static User user(String name, String hash, String root, boolean readOnly, long quota,
      boolean admin, DigestHa1 digest) throws Refused {
    try {
      return new User(name, check(hash), root, readOnly, quota, admin, digest);
    } catch (IllegalArgumentException e) {
      throw new Refused(e.getMessage());
    }
  }

  /** The Digest secrets that {@link #prepare} added, or null when there are none. */
  private static DigestHa1 digest(List<String> rest) throws Refused {
    String sha256 = value(rest, "--ha1-sha256", null);
    String md5 = value(rest, "--ha1-md5", null);
    if (sha256 == null && md5 == null) {
      return null;
    }
    try {
      return new DigestHa1(sha256, md5);
    } catch (IllegalArgumentException e) {
      throw new Refused("no usable Digest secrets: " + e.getMessage());
    }
  }

  private static String check(String hash) throws Refused {
    if (hash == null || !Passwords.wellFormed(hash)) {
      throw new Refused("no usable password hash");
    }
    return hash;
  }

  private static String name(List<String> rest) throws Refused {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new Refused("a user name is needed");
    }
    String name = rest.remove(0);
    String bad = User.nameProblem(name);
    if (bad != null) {
      throw new Refused(bad);
    }
    return name;
  }

  private static String value(List<String> rest, String flag, String fallback) throws Refused {
    int i = rest.indexOf(flag);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= rest.size()) {
      throw new Refused(flag + " needs a value");
    }
    rest.remove(i);
    return rest.remove(i);
  }

  private static void none(List<String> rest) throws Refused {
    if (!rest.isEmpty()) {
      throw new Refused("unexpected: " + String.join(" ", rest));
    }
  }

  /** A root folder, normalized; {@code ..} and relative paths are refused. */
  static String root(String s) throws Refused {
    if (!s.startsWith("/")) {
      throw new Refused("--root must be an absolute path such as /team: " + s);
    }
    try {
      DavPath p = DavPath.parse(s);
      if (!p.isRoot() && p.names().get(0).equals(".depthdav")) {
        throw new Refused("--root cannot be in /.depthdav/, which is reserved");
      }
      return p.toString();
    } catch (IllegalArgumentException e) {
      throw new Refused("--root: " + e.getMessage());
    }
  }

  /** A size: bytes, or a number with K, M, G or T (powers of 1024); "none" for no quota. */
  static long quota(String s) throws Refused {
    if (s == null || s.equalsIgnoreCase("none")) {
      return User.NO_QUOTA;
    }
    String t = s.trim().toUpperCase(Locale.ROOT);
    int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 'K' -> 10;
      case 'M' -> 20;
      case 'G' -> 30;
      case 'T' -> 40;
      default -> 0;
    };
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new Refused("--quota out of range: " + s);
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new Refused("--quota is not a size: " + s);
    }
  }

  /** Creates the user's root folder and its parents when missing (as MKCOL would). */
  private static void ensureFolder(Store store, String root) throws Refused {
    DavPath path = DavPath.parse(root);
    Optional<String> problem = store.write(tx -> {
      Node at = tx.root();
      for (String name : path.names()) {
        Optional<Node> next = tx.child(at.id(), name);
        if (next.isPresent() && !next.get().collection()) {
          return Optional.of(root + " names a file, not a folder");
        }
        at = next.isPresent() ? next.get() : tx.createCollection(at.id(), name, Instant.now());
      }
      return Optional.<String>empty();
    });
    if (problem.isPresent()) {
      throw new Refused(problem.get());
    }
  }
}
