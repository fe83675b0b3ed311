package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Authenticator.Allowed;
import dev.depthdav.auth.Authenticator.Anonymous;
import dev.depthdav.auth.Authenticator.BadRequest;
import dev.depthdav.auth.Authenticator.Challenge;
import dev.depthdav.auth.Authenticator.Outcome;
import dev.depthdav.auth.Authenticator.Refused;
import dev.depthdav.auth.Authenticator.Throttled;
import dev.depthdav.testing.DigestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of {@link Authenticator}, on in-memory accounts and a fake clock. */
class AuthenticatorTest {
  static final String PASSWORD = "wonder land:1";
  /** Hashed once: argon2id is slow on purpose. */
  static final String HASH = Passwords.hash(PASSWORD.toCharArray());
  static final String NEW_HASH = Passwords.hash("through the looking-glass".toCharArray());
  static final String ADDRESS = "192.0.2.7";

  @TempDir Path dir;
  final FakeClock clock = new FakeClock();
  final MemUsers users = new MemUsers();

  // ---- Basic and the rules around it

  @Test
  void authenticate_noUsersNoCredentials_open() {
    assertEquals(new Allowed(Principal.OPEN), basicOnly(false).authenticate(
        null, "GET", "/", ADDRESS, false));
  }

  @Test
  void authenticate_usersNoCredentials_challenge() {
    addAlice(null);
    assertInstanceOf(Challenge.class, get(basicOnly(false), null, false));
  }

  /**
   * Another server sharing the database adds the first user: this server's generation of the
   * accounts does not change, yet within seconds it stops serving clients without credentials.
   */
  @Test
  void authenticate_firstUserAddedByAnotherServer_credentialsNeededWithinSeconds() {
    Users seenFromHere = new Users() {
      @Override
      public java.util.Optional<User> find(String name) {
        return users.find(name);
      }

      @Override
      public List<User> list() {
        return users.list();
      }

      @Override
      public void add(User user) {
        users.add(user);
      }

      @Override
      public void update(User user) {
        users.update(user);
      }

      @Override
      public boolean remove(String name) {
        return users.remove(name);
      }

      @Override
      public long generation() {
        return 0; // the change was made by another process
      }
    };
    Authenticator a = new Authenticator(seenFromHere, null, Anonymous.NONE, false, clock);
    assertEquals(new Allowed(Principal.OPEN), get(a, null, false));
    addAlice(null);
    clock.advance(Duration.ofSeconds(6));
    assertInstanceOf(Challenge.class, get(a, null, false));
  }

  @Test
  void authenticate_anonymousReadNoCredentials_readOnlyPrincipal() {
    addAlice(null);
    Authenticator a = new Authenticator(users, null, Anonymous.READ, false, clock);
    assertEquals(new Allowed(Principal.ANONYMOUS_READ), get(a, null, false));
  }

  @Test
  void authenticate_rightPassword_usersPrincipal() {
    users.add(new User("alice", HASH, "/team", true, 1024, false));
    assertEquals(new Allowed(new Principal("alice", "/team", true, 1024, false)),
        get(basicOnly(true), basic("alice", PASSWORD), false));
  }

  @Test
  void authenticate_wrongPassword_challenge() {
    addAlice(null);
    Outcome o = get(basicOnly(true), basic("alice", "wonder land:2"), false);
    assertEquals(new Challenge("wrong user name or password"), o);
  }

  @Test
  void authenticate_unknownUser_challenge() {
    addAlice(null);
    assertInstanceOf(Challenge.class, get(basicOnly(true), basic("bob", PASSWORD), false));
  }

  @Test
  void authenticate_basicOverPlainHttpNotAllowed_refused() {
    addAlice(null);
    assertInstanceOf(Refused.class, get(basicOnly(false), basic("alice", PASSWORD), false));
  }

  @Test
  void authenticate_basicOverTlsNotAllowedOverHttp_allowed() {
    addAlice(null);
    assertInstanceOf(Allowed.class, get(basicOnly(false), basic("alice", PASSWORD), true));
  }

  @ParameterizedTest(name = "bad: {0}")
  @ValueSource(strings = {"Basic", "Basic !!!", "Basic YWxpY2U=", "Digest username=", "Basic a b"})
  void authenticate_malformedHeader_challenge(String header) {
    addAlice(null);
    Outcome o = get(withDigest(true), header, false);
    assertInstanceOf(Challenge.class, o);
    assertTrue(((Challenge) o).reason().startsWith("malformed credentials"), o.toString());
  }

  @Test
  void authenticate_otherScheme_challenge() {
    addAlice(null);
    assertInstanceOf(Challenge.class, get(basicOnly(true), "Bearer abc.def", false));
  }

  @Test
  void authenticate_fiveFailures_throttledEvenWithRightPasswordUntilTheBlockEnds() {
    addAlice(null);
    Authenticator a = basicOnly(true);
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertInstanceOf(Challenge.class, get(a, basic("alice", "guess" + i), false));
    }
    assertEquals(new Throttled(Duration.ofSeconds(1)), get(a, basic("alice", PASSWORD), false));
    clock.advance(Duration.ofMillis(999));
    assertInstanceOf(Throttled.class, get(a, basic("alice", PASSWORD), false));
    clock.advance(Duration.ofMillis(1));
    assertInstanceOf(Allowed.class, get(a, basic("alice", PASSWORD), false));
  }

  @Test
  void authenticate_passwordChanged_oldPasswordRefusedThoughCached() {
    addAlice(null);
    Authenticator a = basicOnly(true);
    assertInstanceOf(Allowed.class, get(a, basic("alice", PASSWORD), false)); // now cached
    users.update(users.find("alice").orElseThrow().withPassword(NEW_HASH, null));
    assertInstanceOf(Challenge.class, get(a, basic("alice", PASSWORD), false));
    assertInstanceOf(Allowed.class, get(a, basic("alice", "through the looking-glass"), false));
  }

  @Test
  void authenticate_userRemoved_cachedLoginRefused() {
    addAlice(null);
    Authenticator a = basicOnly(true);
    assertInstanceOf(Allowed.class, get(a, basic("alice", PASSWORD), false));
    users.remove("alice");
    users.add(new User("bob", HASH, "/", false, User.NO_QUOTA, false)); // users remain
    assertInstanceOf(Challenge.class, get(a, basic("alice", PASSWORD), false));
  }

  @Test
  void authenticate_htpasswdUser_allowedWithWholeStore() throws IOException {
    Authenticator a = new Authenticator(users, htpasswd(), Anonymous.NONE, true,
        clock);
    assertInstanceOf(Challenge.class, get(a, null, false)); // the file's users count as users
    assertEquals(new Allowed(new Principal("alice", "/", false, User.NO_QUOTA, false)),
        get(a, basic("alice", PASSWORD), false));
    assertInstanceOf(Challenge.class, get(a, basic("alice", "wonder land"), false));
  }

  // ---- Digest (RFC 7616)

  @Test
  void challenges_digestOffBasicNotAllowed_none() {
    assertEquals(List.of(), basicOnly(false).challenges(false, false));
    assertEquals(List.of(BasicCredentials.challenge("depthdav")),
        basicOnly(false).challenges(true, false));
  }

  @Test
  void challenges_digestOn_sha256ThenMd5ThenBasicWhereAllowed() {
    List<String> plain = withDigest(false).challenges(false, false);
    assertEquals(2, plain.size(), plain.toString());
    assertEquals("SHA-256", DigestClient.params(plain.get(0)).get("algorithm"));
    assertEquals("MD5", DigestClient.params(plain.get(1)).get("algorithm"));
    assertEquals("depthdav", DigestClient.params(plain.get(0)).get("realm"));
    List<String> tls = withDigest(false).challenges(true, false);
    assertEquals(3, tls.size(), tls.toString());
    assertTrue(tls.get(2).startsWith("Basic "), tls.toString());
  }

  @ParameterizedTest(name = "good: {0}")
  @ValueSource(strings = {"SHA-256", "MD5"})
  void authenticate_digestRightPasswordOverPlainHttp_allowed(String algorithm) {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    String header = answer(a, algorithm, PASSWORD, "PUT", "/a%20b.txt?x=1");
    assertEquals(new Allowed(new Principal("alice", "/", false, User.NO_QUOTA, false)),
        a.authenticate(header, "PUT", "/a%20b.txt?x=1", ADDRESS, false));
  }

  @Test
  void authenticate_digestWrongPassword_challengeAndThrottled() {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      Outcome o = get(a, answer(a, "SHA-256", "guess" + i, "GET", "/"), false);
      assertEquals(new Challenge("wrong user name or password", false), o);
    }
    assertInstanceOf(Throttled.class, get(a, answer(a, "SHA-256", PASSWORD, "GET", "/"), false));
  }

  @Test
  void authenticate_digestOtherMethod_challenge() {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    String header = answer(a, "SHA-256", PASSWORD, "GET", "/");
    assertInstanceOf(Challenge.class, a.authenticate(header, "DELETE", "/", ADDRESS, false));
  }

  @Test
  void authenticate_digestUserWithoutSecrets_challenge() {
    addAlice(null);
    Authenticator a = withDigest(false);
    assertInstanceOf(Challenge.class, get(a, answer(a, "SHA-256", PASSWORD, "GET", "/"), false));
  }

  @Test
  void authenticate_digestHtpasswdUser_challenge() throws IOException {
    Authenticator a = new Authenticator(users, htpasswd(), Anonymous.NONE, false,
        new Digest(), clock);
    assertInstanceOf(Challenge.class, get(a, answer(a, "SHA-256", PASSWORD, "GET", "/"), false));
  }

  @Test
  void authenticate_digestNonceOlderThanLifetime_staleChallenge() {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    String header = answer(a, "SHA-256", PASSWORD, "GET", "/");
    clock.advance(Digest.DEFAULT_LIFETIME.plusMillis(1));
    assertEquals(new Challenge("the Digest nonce is stale", true), get(a, header, false));
    assertTrue(a.challenges(false, true).stream().allMatch(c -> c.endsWith(", stale=true")));
  }

  @Test
  void authenticate_digestNonceOfAnotherInstance_staleChallenge() {
    addAlice(digestSecrets());
    String header = answer(withDigest(false), "SHA-256", PASSWORD, "GET", "/");
    Outcome o = get(withDigest(false), header, false); // as after a restart
    assertEquals(new Challenge("the Digest nonce is stale", true), o);
  }

  @Test
  void authenticate_digestUriNotTheTarget_badRequest() {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    String header = answer(a, "SHA-256", PASSWORD, "GET", "/other");
    assertInstanceOf(BadRequest.class, get(a, header, false));
  }

  @Test
  void authenticate_digestOtherRealm_challenge() {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    String nonce = DigestClient.params(a.challenges(false, false).get(0)).get("nonce");
    String header =
        DigestClient.authorization("SHA-256", "elsewhere", nonce, "alice", PASSWORD, "GET", "/");
    assertInstanceOf(Challenge.class, get(a, header, false));
  }

  @Test
  void authenticate_digestWhenOff_challenge() {
    addAlice(digestSecrets());
    String header = answer(withDigest(false), "SHA-256", PASSWORD, "GET", "/");
    assertInstanceOf(Challenge.class, get(basicOnly(true), header, false));
  }

  @Test
  void authenticate_basicOverPlainHttpWithDigestOn_challengeNotRefused() {
    addAlice(digestSecrets());
    Outcome o = get(withDigest(false), basic("alice", PASSWORD), false);
    assertInstanceOf(Challenge.class, o);
  }

  @Test
  void authenticate_digestAfterPasswordChangeWithoutDigest_challenge() {
    addAlice(digestSecrets());
    Authenticator a = withDigest(false);
    assertInstanceOf(Allowed.class, get(a, answer(a, "SHA-256", PASSWORD, "GET", "/"), false));
    users.update(users.find("alice").orElseThrow().withPassword(NEW_HASH, null));
    assertInstanceOf(Challenge.class, get(a, answer(a, "SHA-256", PASSWORD, "GET", "/"), false));
  }

  // ---- helpers

  private Authenticator basicOnly(boolean basicOverHttp) {
    return new Authenticator(users, null, Anonymous.NONE, basicOverHttp, clock);
  }

  private Authenticator withDigest(boolean basicOverHttp) {
    return new Authenticator(users, null, Anonymous.NONE, basicOverHttp, new Digest(), clock);
  }

  /** An htpasswd file with alice's bcrypt line (Apache htpasswd -nbB), loaded. */
  private Htpasswd htpasswd() throws IOException {
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, HtpasswdTest.ALICE + "\n", StandardCharsets.UTF_8);
    return Htpasswd.load(file, clock);
  }

  private void addAlice(DigestHa1 digest) {
    users.add(new User("alice", HASH, "/", false, User.NO_QUOTA, false, digest));
  }

  private static DigestHa1 digestSecrets() {
    return DigestHa1.of("alice", Authenticator.REALM, PASSWORD.toCharArray());
  }

  /** A GET of "/" with {@code header} from {@link #ADDRESS}. */
  private static Outcome get(Authenticator a, String header, boolean secure) {
    return a.authenticate(header, "GET", "/", ADDRESS, secure);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** What a client answers to {@code a}'s first challenge for {@code algorithm}, as alice. */
  private static String answer(Authenticator a, String algorithm, String password, String method,
      String uri) {
    String challenge = a.challenges(false, false).stream()
        .filter(c -> algorithm.equals(DigestClient.params(c).get("algorithm")))
        .findFirst().orElseThrow();
    return DigestClient.authorization(challenge, "alice", password, method, uri);
  }
}
