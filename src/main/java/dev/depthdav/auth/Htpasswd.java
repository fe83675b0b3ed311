package dev.depthdav.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache htpasswd file, read-only: {@code user:hash} lines, '#' comments and blank lines
 * skipped. Only bcrypt entries ({@code htpasswd -B}) can log in; others are warned about once, by
 * user and line, never showing the hash. The file is read again when its modification time, size
 * or identity changes, looked at no more than once a second.
 */
public final class Htpasswd {
  private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  /**
   * Checked for users who are not in the file, so that an answer takes about as long whether the
   * user exists or not. The crypt_blowfish test vector for "U*U", at htpasswd's default cost 5.
   */
  private static final String DUMMY = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

  private final Path file;
  private final InstantSource clock;
  private final Set<String> warned = new HashSet<>(); // guarded by this
  private volatile Map<String, String> hashes;
  private volatile Instant checked;
  private Stamp stamp; // guarded by this
  private boolean failing; // guarded by this
  /** Counts the reads that changed the accounts, so that caches of verifications can tell. */
  private volatile long generation;

  /** What tells us the file changed. */
  private record Stamp(FileTime modified, long size, Object key) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
    }
  }

  private Htpasswd(Path file, InstantSource clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Reads {@code file}; throws when it cannot be read this first time. */
  public static Htpasswd load(Path file, InstantSource clock) throws IOException {
    Htpasswd h = new Htpasswd(file, clock);
    synchronized (h) {
      h.stamp = Stamp.of(file);
      h.hashes = h.read();
      h.checked = clock.instant();
    }
    return h;
  }

  /** Whether {@code user} is in the file with a bcrypt hash that {@code password} matches. */
  public boolean verify(String user, char[] password) {
    String hash = current().get(user);
    boolean match = Passwords.verify(password, hash == null ? DUMMY : hash);
    return hash != null && match;
  }

  /** Whether {@code user} can log in, that is, has a bcrypt entry. */
  public boolean has(String user) {
    return current().containsKey(user);
  }

  /** A number that changes whenever the file was read anew (checking the file first). */
  public long generation() {
    current();
    return generation;
  }

  /** The users who can log in, in file order. */
  public Set<String> users() {
    return current().keySet();
  }

  private Map<String, String> current() {
    if (!clock.instant().isBefore(checked.plus(CHECK_EVERY))) {
      refresh();
    }
    return hashes;
  }

  private synchronized void refresh() {
    Instant now = clock.instant();
    if (now.isBefore(checked.plus(CHECK_EVERY))) {
      return; // another thread looked meanwhile
    }
    checked = now;
    try {
      Stamp seen = Stamp.of(file);
      if (!seen.equals(stamp)) {
        hashes = read();
        generation++;
        stamp = seen; // only once read, so a failed read is tried again
      }
      failing = false;
    } catch (IOException e) {
      if (!failing) {
        LOG.warn("{} cannot be read ({}); keeping the {} users read before", file, e, hashes.size());
      }
      failing = true;
    }
  }

  private Map<String, String> read() throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      entry(lines.get(i), i + 1, seen, out);
    }
    return Collections.unmodifiableMap(out);
  }

  private void entry(String line, int number, Set<String> seen, Map<String, String> out) {
    if (line.isBlank() || line.stripLeading().startsWith("#")) {
      return;
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      warnOnce("line " + number, "{}: line {} is not user:hash; skipped", file, number);
      return;
    }
    String user = line.substring(0, colon);
    String hash = line.substring(colon + 1).strip();
    if (!seen.add(user)) {
      // Apache's mod_authn_file uses the first line of a user; so do we.
      warnOnce(user + " twice", "{}: user {} again on line {}; the first line counts", file, user,
          number);
    } else if (Passwords.isBcrypt(hash)) {
      out.put(user, hash);
    } else {
      warnOnce(user + " " + kind(hash),
          "{}: user {} on line {} has a {} hash, which cannot be checked; use htpasswd -B."
              + " That user cannot log in", file, user, number, kind(hash));
    }
  }

  private synchronized void warnOnce(String what, String format, Object... args) {
    if (warned.add(what)) {
      LOG.warn(format, args);
    }
  }

  /** The kind of an unusable hash, named without showing any of it. */
  private static String kind(String hash) {
    if (hash.startsWith("$apr1$")) {
      return "Apache MD5 ($apr1$)";
    }
    if (hash.startsWith("{SHA}")) {
      return "SHA-1 ({SHA})";
    }
    if (hash.startsWith("$2")) {
      return "bcrypt variant or cost we do not accept";
    }
    return hash.startsWith("$") ? "crypt(3) or unknown" : "crypt(3) DES or plain text";
  }
}
