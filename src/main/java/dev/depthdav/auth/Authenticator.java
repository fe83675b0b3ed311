package dev.depthdav.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a request is from: the {@code Authorization} header checked against the accounts (the
 * database, then an optional htpasswd file), with the rules of docs/ARCHITECTURE.md "Security":
 * no credentials on a server without users is the open principal (loopback only); with users,
 * credentials are needed unless {@code --anonymous read}; Basic over plain HTTP only where the
 * operator allows it; failed attempts throttled per address and per name.
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  /** What an anonymous client may do. */
  public enum Anonymous { NONE, READ }

  /** The result of looking at a request's credentials. */
  public sealed interface Outcome permits Allowed, Challenge, Throttled, Refused {}

  /** The request acts for {@code principal}. */
  public record Allowed(Principal principal) implements Outcome {}

  /** 401 with the server's challenges: no credentials, or ones that are wrong. */
  public record Challenge(String reason) implements Outcome {}

  /** 429: too many failed attempts from this address or for this name; retry after the delay. */
  public record Throttled(Duration retryAfter) implements Outcome {}

  /** 403: credentials sent in a way this server refuses (Basic over plain HTTP). */
  public record Refused(String reason) implements Outcome {}

  private final Users users;
  private final Htpasswd htpasswd;
  private final Anonymous anonymous;
  private final boolean basicOverHttp;
  private final InstantSource clock;
  private final CredentialCache verified;
  private final LoginThrottle throttle = new LoginThrottle();
  /** Principals by name for the current generation of the accounts. */
  private final Map<String, Principal> principals = new ConcurrentHashMap<>();
  private volatile long principalsGeneration = Long.MIN_VALUE;
  private volatile Boolean anyUsers;
  /** A hash checked when the name is unknown, so that timing does not tell names apart. */
  private final String decoy;

  /**
   * @param htpasswd an Apache htpasswd file's accounts, or null
   * @param basicOverHttp whether Basic is accepted on a connection without TLS (loopback, or
   *     behind a TLS-terminating proxy)
   */
  public Authenticator(Users users, Htpasswd htpasswd, Anonymous anonymous, boolean basicOverHttp,
      InstantSource clock) {
    this.users = users;
    this.htpasswd = htpasswd;
    this.anonymous = anonymous;
    this.basicOverHttp = basicOverHttp;
    this.clock = clock;
    this.verified = new CredentialCache(clock);
    this.decoy = Passwords.hash("decoy".toCharArray());
  }

  /** Whether Basic is offered on a connection that is ({@code secure}) or is not TLS. */
  public boolean basicAllowed(boolean secure) {
    return secure || basicOverHttp;
  }

  /** Whether any account exists (in the database or the htpasswd file). */
  public boolean hasUsers() {
    refresh();
    Boolean any = anyUsers;
    if (any == null) {
      any = !users.list().isEmpty() || htpasswd != null && !htpasswd.users().isEmpty();
      anyUsers = any;
    }
    return any;
  }

  /**
   * Looks at a request's credentials.
   *
   * @param authorization the Authorization header, or null
   * @param address the client's address (for throttling and the log)
   * @param secure whether the connection is TLS
   */
  public Outcome authenticate(String authorization, String address, boolean secure) {
    if (authorization == null) {
      if (anonymous == Anonymous.READ) {
        return new Allowed(Principal.ANONYMOUS_READ);
      }
      return hasUsers() ? new Challenge("this server needs credentials")
          : new Allowed(Principal.OPEN);
    }
    BasicCredentials c;
    try {
      c = BasicCredentials.parse(authorization);
    } catch (AuthSyntaxException e) {
      log.warn("malformed credentials from {}: {}", address, e.getMessage());
      return new Challenge("malformed credentials: " + e.getMessage());
    }
    if (c == null) {
      return new Challenge("the Authorization scheme is not one this server accepts (Basic)");
    }
    if (!basicAllowed(secure)) {
      return new Refused("Basic credentials are refused over plain HTTP, where anyone on the "
          + "path can read them: use https");
    }
    return check(c.user(), c.password(), address);
  }

  private Outcome check(String name, char[] password, String address) {
    Instant now = clock.instant();
    Optional<Duration> wait = throttle.blocked(address, name, now);
    if (wait.isPresent()) {
      log.warn("login for {} from {} refused: too many failed attempts", name, address);
      return new Throttled(wait.get());
    }
    refresh();
    long gen = generation();
    try {
      Principal known = principals.get(name);
      if (known != null && verified.contains(name, password, gen)) {
        return new Allowed(known);
      }
      Optional<Principal> p = verify(name, password);
      if (p.isEmpty()) {
        throttle.failed(address, name, now);
        log.warn("failed login for {} from {}", name, address);
        return new Challenge("wrong user name or password");
      }
      throttle.succeeded(address, name);
      verified.put(name, password, gen);
      principals.put(name, p.get());
      return new Allowed(p.get());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The principal when the password is right: database accounts first, then htpasswd. */
  private Optional<Principal> verify(String name, char[] password) {
    Optional<User> u = users.find(name);
    if (u.isPresent()) {
      return Passwords.verify(password, u.get().passwordHash())
          ? Optional.of(Principal.of(u.get())) : Optional.empty();
    }
    if (htpasswd != null && htpasswd.has(name)) {
      return htpasswd.verify(name, password)
          ? Optional.of(new Principal(name, "/", false, User.NO_QUOTA, false))
          : Optional.empty();
    }
    Passwords.verify(password, decoy); // as long as a real check: names cannot be probed
    return Optional.empty();
  }

  private long generation() {
    return users.generation() * 31 + (htpasswd == null ? 0 : htpasswd.generation());
  }

  /** Forgets what was derived from an older generation of the accounts. */
  private void refresh() {
    long gen = generation();
    if (gen != principalsGeneration) {
      principals.clear();
      anyUsers = null;
      principalsGeneration = gen;
    }
  }
}
