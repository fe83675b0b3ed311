package dev.depthdav.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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
 * operator allows it; Digest (RFC 7616), when on, on any connection, for database users who have
 * Digest secrets; failed attempts throttled per address and per name.
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  /**
   * The protection space of every challenge (RFC 7235 §2.2). Digest secrets are computed for it
   * ({@link DigestHa1}): changing it makes every stored one useless.
   */
  public static final String REALM = "depthdav";

  /** What an anonymous client may do. */
  public enum Anonymous { NONE, READ }

  /** The result of looking at a request's credentials. */
  public sealed interface Outcome permits Allowed, Challenge, Throttled, Refused, BadRequest {}

  /** The request acts for {@code principal}. */
  public record Allowed(Principal principal) implements Outcome {}

  /**
   * 401 with the server's {@link #challenges}: no credentials, or ones that are wrong; {@code
   * stale} when Digest credentials were right but their nonce too old (RFC 7616 §3.3).
   */
  public record Challenge(String reason, boolean stale) implements Outcome {
    /** A challenge whose Digest nonce, if any, is not stale. */
    public Challenge(String reason) {
      this(reason, false);
    }
  }

  /** 429: too many failed attempts from this address or for this name; retry after the delay. */
  public record Throttled(Duration retryAfter) implements Outcome {}

  /** 403: credentials sent in a way this server refuses (Basic over plain HTTP). */
  public record Refused(String reason) implements Outcome {}

  /** 400: Digest credentials for another request-target (RFC 7616 §3.4.6). */
  public record BadRequest(String reason) implements Outcome {}

  private final Users users;
  private final Htpasswd htpasswd;
  private final Anonymous anonymous;
  private final boolean basicOverHttp;
  /** Digest authentication, or null when it is off. */
  private final Digest digest;
  private final InstantSource clock;
  private final CredentialCache verified;
  private final LoginThrottle throttle = new LoginThrottle();
  /** Principals by name for the current generation of the accounts. */
  private final Map<String, Principal> principals = new ConcurrentHashMap<>();
  private volatile long principalsGeneration = Long.MIN_VALUE;
  private volatile Boolean anyUsers;
  /**
   * When {@link #anyUsers} was read: another server sharing the database may add the first user
   * without this one's generation changing, so the answer is read again after a few seconds.
   */
  private volatile Instant anyUsersRead = Instant.MIN;
  private static final Duration ANY_USERS_FOR = Duration.ofSeconds(5);
  /** A hash checked when the name is unknown, so that timing does not tell names apart. */
  private final String decoy;
  /** Digest secrets checked for a name without any, for the same reason. */
  private final DigestHa1 digestDecoy;

  /** An authenticator without Digest. */
  public Authenticator(Users users, Htpasswd htpasswd, Anonymous anonymous, boolean basicOverHttp,
      InstantSource clock) {
    this(users, htpasswd, anonymous, basicOverHttp, null, clock);
  }

  /**
   * @param htpasswd an Apache htpasswd file's accounts, or null
   * @param basicOverHttp whether Basic is accepted on a connection without TLS (loopback, or
   *     behind a TLS-terminating proxy)
   * @param digest Digest authentication with its nonces, or null for none
   */
  public Authenticator(Users users, Htpasswd htpasswd, Anonymous anonymous, boolean basicOverHttp,
      Digest digest, InstantSource clock) {
    this.users = users;
    this.htpasswd = htpasswd;
    this.anonymous = anonymous;
    this.basicOverHttp = basicOverHttp;
    this.digest = digest;
    this.clock = clock;
    this.verified = new CredentialCache(clock);
    this.decoy = Passwords.hash("decoy".toCharArray());
    HexFormat hex = HexFormat.of();
    this.digestDecoy =
        new DigestHa1(hex.formatHex(Secrets.random(32)), hex.formatHex(Secrets.random(16)));
  }

  /** Whether Basic is offered on a connection that is ({@code secure}) or is not TLS. */
  public boolean basicAllowed(boolean secure) {
    return secure || basicOverHttp;
  }

  /**
   * The WWW-Authenticate values of a 401 on a connection that is ({@code secure}) or is not TLS:
   * Digest with SHA-256, then MD5, when on; then Basic where it is allowed. RFC 7235 §4.1 lets a
   * 401 carry several challenges; RFC 7616 §3.7 asks for the preferred Digest one first. Empty
   * when no scheme can be used on this connection.
   *
   * @param stale whether the Digest challenges say stale=true (RFC 7616 §3.3)
   */
  public List<String> challenges(boolean secure, boolean stale) {
    List<String> out = new ArrayList<>();
    if (digest != null) {
      out.addAll(digest.challenges(REALM, stale, clock.instant()));
    }
    if (basicAllowed(secure)) {
      out.add(BasicCredentials.challenge(REALM));
    }
    return out;
  }

  /** Whether any account exists (in the database or the htpasswd file). */
  public boolean hasUsers() {
    refresh();
    Boolean any = anyUsers;
    Instant now = clock.instant();
    if (any == null || now.isAfter(anyUsersRead.plus(ANY_USERS_FOR))) {
      any = !users.list().isEmpty() || htpasswd != null && !htpasswd.users().isEmpty();
      anyUsers = any;
      anyUsersRead = now;
    }
    return any;
  }

  /**
   * Looks at a request's credentials.
   *
   * @param authorization the Authorization header, or null
   * @param method the request method (Digest's A2, RFC 7616 §3.4.3)
   * @param target the request-target as sent, path and query (Digest's uri, RFC 7616 §3.4.6)
   * @param address the client's address (for throttling and the log)
   * @param secure whether the connection is TLS
   */
  public Outcome authenticate(String authorization, String method, String target, String address,
      boolean secure) {
    if (authorization == null) {
      if (anonymous == Anonymous.READ) {
        return new Allowed(Principal.ANONYMOUS_READ);
      }
      return hasUsers() ? new Challenge("this server needs credentials")
          : new Allowed(Principal.OPEN);
    }
    BasicCredentials basic;
    DigestCredentials digested;
    try {
      basic = BasicCredentials.parse(authorization);
      digested = basic == null ? Digest.parse(authorization) : null;
    } catch (AuthSyntaxException e) {
      log.warn("malformed credentials from {}: {}", address, e.getMessage());
      return new Challenge("malformed credentials: " + e.getMessage());
    }
    if (basic != null) {
      return basic(basic, address, secure);
    }
    if (digested != null && digest != null) {
      return digest(digested, method, target, address);
    }
    return new Challenge("the Authorization scheme is not one this server accepts ("
        + (digest == null ? "Basic" : "Basic or Digest") + ")");
  }

  private Outcome basic(BasicCredentials c, String address, boolean secure) {
    try {
      if (!basicAllowed(secure)) {
        String reason = "Basic credentials are refused over plain HTTP, where anyone on the path "
            + "can read them: use https";
        // With Digest on, a 401 offers a scheme the client may use here; without, only 403 is left.
        return digest == null ? new Refused(reason) : new Challenge(reason + " or Digest");
      }
      return check(c.user(), c.password(), address);
    } finally {
      Arrays.fill(c.password(), '\0');
    }
  }

  /**
   * Digest credentials (RFC 7616 §3.4): for our realm and this request-target, answered with the
   * user's stored secret for the algorithm. Users without Digest secrets (htpasswd users, users
   * added without --digest) cannot log in this way.
   */
  private Outcome digest(DigestCredentials c, String method, String target, String address) {
    String name = c.username();
    // RFC 7616 §3.4.6: the uri must name the resource of the request line; else 400.
    if (!c.uri().equals(target)) {
      log.warn("Digest credentials for {} from {} name another request-target", name, address);
      return new BadRequest("the Digest uri is not this request's target (RFC 7616 §3.4.6)");
    }
    if (!REALM.equals(c.realm())) {
      return new Challenge("the Digest realm is not " + REALM);
    }
    Instant now = clock.instant();
    Throttled wait = throttled(address, name, now);
    if (wait != null) {
      return wait;
    }
    Optional<User> u = users.find(name);
    DigestHa1 secrets = u.map(User::digest).orElse(null);
    byte[] ha1 = (secrets == null ? digestDecoy : secrets).forAlgorithm(c.algorithm());
    Digest.Result r = digest.verify(c, method, ha1, now);
    if (r == Digest.Result.OK && secrets != null) {
      throttle.succeeded(address, name);
      return new Allowed(Principal.of(u.get()));
    }
    if (r == Digest.Result.STALE && secrets != null) {
      // RFC 7616 §3.3: the client knows the password; a fresh nonce lets it retry unasked.
      return new Challenge("the Digest nonce is stale", true);
    }
    throttle.failed(address, name, now);
    log.warn("failed Digest login for {} from {}{}", name, address,
        u.isPresent() && secrets == null ? " (the user has no Digest secrets: see --digest)" : "");
    return new Challenge("wrong user name or password");
  }

  /** A Basic password checked, through the cache of recent logins; the caller wipes it. */
  private Outcome check(String name, char[] password, String address) {
    Instant now = clock.instant();
    Throttled wait = throttled(address, name, now);
    if (wait != null) {
      return wait;
    }
    refresh();
    long gen = generation();
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
  }

  /** The wait before another attempt from {@code address} or for {@code name}; null for none. */
  private Throttled throttled(String address, String name, Instant now) {
    Optional<Duration> wait = throttle.blocked(address, name, now);
    if (wait.isEmpty()) {
      return null;
    }
    log.warn("login for {} from {} refused: too many failed attempts", name, address);
    return new Throttled(wait.get());
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
