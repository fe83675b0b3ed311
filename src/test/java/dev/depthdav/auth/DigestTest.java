package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7616 Digest on the server, with the §3.9.1 example. */
class DigestTest {
  static final String REALM = "http-auth@example.org";
  static final String RFC_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  static final String RFC_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  /** RFC 7616 §3.9.1, the SHA-256 Authorization header, folded as the RFC shows it. */
  static final String RFC_SHA256 =
      """
      Digest username="Mufasa",
          realm="http-auth@example.org",
          uri="/dir/index.html",
          algorithm=SHA-256,
          nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
          nc=00000001,
          cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
          qop=auth,
          response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
          opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
      """
          .replace("\n", "");

  final FakeClock clock = new FakeClock();
  final Digest digest = new Digest();

  @ParameterizedTest(name = "good: RFC 7616 §3.9.1 {0}")
  @CsvSource({
    "MD5,     8ca523f5e9506fed4657c9700eebdbec",
    "SHA-256, 753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
  })
  void response_rfcExample_matches(String algorithm, String expected) {
    // Errata 4495: the password is "Circle of Life", with a lower-case "of".
    byte[] ha1 = Digest.ha1(algorithm, "Mufasa", REALM, "Circle of Life".toCharArray());
    DigestCredentials c = rfcCredentials(algorithm, expected);
    assertEquals(expected, Digest.response(algorithm, ha1, c, "GET"));
  }

  @Test
  void parse_rfcExample_allParameters() {
    DigestCredentials c = Digest.parse(RFC_SHA256);
    assertEquals(
        rfcCredentials(
            "SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        c);
  }

  @Test
  void verify_rfcExample_badBecauseTheNonceIsNotOurs() {
    byte[] ha1 = Digest.ha1("SHA-256", "Mufasa", REALM, "Circle of Life".toCharArray());
    assertEquals(
        Digest.Result.BAD, digest.verify(Digest.parse(RFC_SHA256), "GET", ha1, clock.instant()));
  }

  @ParameterizedTest(name = "good: {0}")
  @CsvSource({"MD5", "SHA-256", "sha-256"})
  void verify_ownNonceRightPassword_ok(String algorithm) {
    DigestCredentials c = answer(algorithm, "Circle of Life", REALM);
    assertEquals(Digest.Result.OK, verifyGet(c, algorithm));
  }

  @Test
  void verify_wrongPassword_bad() {
    DigestCredentials c = answer("SHA-256", "Circle Of Life", REALM);
    assertEquals(Digest.Result.BAD, verifyGet(c, "SHA-256"));
  }

  @Test
  void verify_otherMethod_bad() {
    DigestCredentials c = answer("SHA-256", "Circle of Life", REALM);
    assertEquals(Digest.Result.BAD, digest.verify(c, "PUT", ha1("SHA-256"), clock.instant()));
  }

  @Test
  void verify_nonceAtLifetime_okAndJustAfter_stale() {
    DigestCredentials c = answer("SHA-256", "Circle of Life", REALM);
    clock.advance(Digest.DEFAULT_LIFETIME);
    assertEquals(Digest.Result.OK, verifyGet(c, "SHA-256"));
    clock.advance(Duration.ofMillis(1));
    assertEquals(Digest.Result.STALE, verifyGet(c, "SHA-256"));
  }

  @Test
  void verify_staleNonceWrongPassword_bad() {
    DigestCredentials c = answer("SHA-256", "wrong", REALM);
    clock.advance(Duration.ofHours(1));
    assertEquals(Digest.Result.BAD, verifyGet(c, "SHA-256"));
  }

  @Test
  void verify_anotherInstancesNonce_stale() {
    DigestCredentials c = answer("SHA-256", "Circle of Life", REALM);
    assertEquals(
        Digest.Result.STALE, new Digest().verify(c, "GET", ha1("SHA-256"), clock.instant()));
  }

  @Test
  void verify_tamperedNonce_bad() {
    String nonce = nonce(digest.challenges(REALM, false, clock.instant()).get(0));
    // Move the issue time (bytes 8 to 15 of the nonce, characters 11 to 21 of base64url).
    char[] chars = nonce.toCharArray();
    chars[16] = chars[16] == 'A' ? 'B' : 'A';
    DigestCredentials c = withNonce(new String(chars), "SHA-256", "Circle of Life", REALM);
    assertEquals(Digest.Result.BAD, verifyGet(c, "SHA-256"));
  }

  @Test
  void verify_nonceFromTheFuture_bad() {
    FakeClock later = new FakeClock();
    later.advance(Duration.ofMinutes(1));
    String nonce = nonce(digest.challenges(REALM, false, later.instant()).get(0));
    DigestCredentials c = withNonce(nonce, "SHA-256", "Circle of Life", REALM);
    assertEquals(Digest.Result.BAD, verifyGet(c, "SHA-256"));
  }

  @Test
  void verify_nonceOfAnotherRealm_bad() {
    String nonce = nonce(digest.challenges("other", false, clock.instant()).get(0));
    DigestCredentials c = withNonce(nonce, "SHA-256", "Circle of Life", REALM);
    assertEquals(Digest.Result.BAD, verifyGet(c, "SHA-256"));
  }

  @ParameterizedTest(name = "bad: {0}")
  @CsvSource({"MD5-sess", "SHA-256-sess", "SHA-512-256", "SHA-1"})
  void verify_algorithmWeDoNotOffer_bad(String algorithm) {
    DigestCredentials c = answer("SHA-256", "Circle of Life", REALM);
    DigestCredentials other = copy(c, algorithm, c.response(), c.qop(), c.cnonce(), c.nc());
    assertEquals(Digest.Result.BAD, verifyGet(other, "SHA-256"));
  }

  @ParameterizedTest(name = "bad: qop={0} cnonce={1} nc={2}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL,     c, 00000001",
        "auth-int, c, 00000001",
        "auth,     NULL, 00000001",
        "auth,     c, NULL",
        "auth,     c, 1",
      })
  void verify_withoutQopAuthCnonceOrNc_bad(String qop, String cnonce, String nc) {
    DigestCredentials c = answer("MD5", "Circle of Life", REALM);
    assertEquals(
        Digest.Result.BAD, verifyGet(copy(c, "MD5", c.response(), qop, cnonce, nc), "MD5"));
  }

  @Test
  void verify_ha1OfTheOtherAlgorithm_bad() {
    DigestCredentials c = answer("SHA-256", "Circle of Life", REALM);
    assertEquals(Digest.Result.BAD, verifyGet(c, "MD5"));
  }

  @Test
  void challenges_sha256ThenMd5_withQopAuth() {
    List<String> ch = digest.challenges("a \"quoted\" realm", false, clock.instant());
    assertEquals(2, ch.size());
    assertTrue(
        ch.get(0)
            .startsWith(
                "Digest realm=\"a \\\"quoted\\\" realm\", qop=\"auth\","
                    + " algorithm=SHA-256, nonce=\""),
        ch.get(0));
    assertTrue(ch.get(1).contains("algorithm=MD5"), ch.get(1));
    assertTrue(ch.stream().noneMatch(c -> c.contains("stale")));
    assertTrue(digest.challenges(REALM, true, clock.instant()).get(1).endsWith(", stale=true"));
  }

  @Test
  void challenges_parseBackAsAuthParams() {
    String ch = digest.challenges("r\\e\"alm", true, clock.instant()).get(0);
    var params = AuthParams.parse(ch.substring("Digest ".length()));
    assertEquals("r\\e\"alm", params.get("realm"));
    assertEquals("true", params.get("stale"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          good: tokens unquoted, any case | 'DIGEST USERNAME=u, Realm=r, nonce=n, uri="/", response=ab' | u | r
          good: quoted-pair escapes       | 'Digest username="a\\"b", realm="c\\\\d", nonce=n, uri="/", response=ab' | 'a"b' | c\\d
          good: empty elements, OWS       | 'Digest ,username = u ,, realm="",nonce=n,uri="/",response=ab,' | u | ''
          """)
  void parse_good(String name, String header, String user, String realm) {
    DigestCredentials c = Digest.parse(header);
    assertEquals(user, c.username());
    assertEquals(realm, c.realm());
    assertEquals("MD5", c.algorithm()); // RFC 7616 §3.4: absent means MD5
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bad: name twice (RFC 7235 §2.1)  | 'Digest username=u, username=v, realm=r, nonce=n, uri="/", response=ab'
          bad: no username                 | 'Digest realm=r, nonce=n, uri="/", response=ab'
          bad: no response                 | 'Digest username=u, realm=r, nonce=n, uri="/"'
          bad: unterminated quoted-string  | 'Digest username=u, realm=r, nonce=n, uri="/", response="ab'
          bad: no '='                      | 'Digest username, realm=r, nonce=n, uri="/", response=ab'
          bad: no value                    | 'Digest username=, realm=r, nonce=n, uri="/", response=ab'
          bad: no comma                    | 'Digest username=u realm=r, nonce=n, uri="/", response=ab'
          bad: token68, not auth-params    | 'Digest dXNlcjpwYXNz'
          bad: control char in quotes      | 'Digest username="u\u0001", realm=r, nonce=n, uri="/", response=ab'
          bad: username* (RFC 7616 §3.4.4) | 'Digest username*=UTF-8''''J%C3%A4s, realm=r, nonce=n, uri="/", response=ab'
          bad: userhash=true not offered   | 'Digest username=u, realm=r, nonce=n, uri="/", response=ab, userhash=true'
          """)
  void parse_bad(String name, String header) {
    assertThrows(AuthSyntaxException.class, () -> Digest.parse(header));
  }

  @Test
  void parse_basicTokenUnderDigest_messageDoesNotEchoIt() {
    // base64 of "user:pass", sent by mistake under the Digest scheme.
    AuthSyntaxException e =
        assertThrows(AuthSyntaxException.class, () -> Digest.parse("Digest dXNlcjpwYXNz="));
    assertFalse(e.getMessage().toLowerCase().contains("dxnlcjpwyxnz"), e.getMessage());
  }

  @Test
  void parse_otherScheme_null() {
    assertNull(Digest.parse(null));
    assertNull(Digest.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    assertNull(Digest.parse("Digestusername=u"));
  }

  @Test
  void ha1_unsupportedAlgorithm_throws() {
    assertThrows(
        IllegalArgumentException.class, () -> Digest.ha1("MD5-sess", "u", "r", "p".toCharArray()));
  }

  @ParameterizedTest(name = "good: {0}")
  @CsvSource({
    "MD5,     3d78807defe7de2157e2b0b6573a855f",
    "SHA-256, 7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232",
  })
  void ha1_rfcExample_isHashOfUserRealmPassword(String algorithm, String expected) {
    // Computed apart with Python's hashlib over "Mufasa:http-auth@example.org:Circle of Life".
    assertEquals(expected, HexFormat.of().formatHex(ha1(algorithm)));
  }

  private static DigestCredentials rfcCredentials(String algorithm, String response) {
    return new DigestCredentials(
        "Mufasa",
        REALM,
        RFC_NONCE,
        "/dir/index.html",
        response,
        algorithm,
        "auth",
        RFC_CNONCE,
        "00000001",
        "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  }

  private static byte[] ha1(String algorithm) {
    return Digest.ha1(algorithm, "Mufasa", REALM, "Circle of Life".toCharArray());
  }

  /** What a client answers to our first challenge with {@code password}. */
  private DigestCredentials answer(String algorithm, String password, String realm) {
    String nonce = nonce(digest.challenges(realm, false, clock.instant()).get(0));
    return withNonce(nonce, algorithm, password, realm);
  }

  private static DigestCredentials withNonce(
      String nonce, String algorithm, String password, String realm) {
    DigestCredentials unsigned =
        new DigestCredentials(
            "Mufasa",
            realm,
            nonce,
            "/dir/index.html",
            "",
            algorithm,
            "auth",
            RFC_CNONCE,
            "00000001",
            null);
    byte[] ha1 = Digest.ha1(algorithm, "Mufasa", realm, password.toCharArray());
    String response = Digest.response(algorithm.toUpperCase(), ha1, unsigned, "GET");
    return copy(unsigned, algorithm, response, "auth", RFC_CNONCE, "00000001");
  }

  private static DigestCredentials copy(
      DigestCredentials c,
      String algorithm,
      String response,
      String qop,
      String cnonce,
      String nc) {
    return new DigestCredentials(
        c.username(),
        c.realm(),
        c.nonce(),
        c.uri(),
        response,
        algorithm,
        qop,
        cnonce,
        nc,
        c.opaque());
  }

  /** Checks {@code c} for a GET, against the stored HA1 of Mufasa for {@code algorithm}. */
  private Digest.Result verifyGet(DigestCredentials c, String algorithm) {
    return digest.verify(c, "GET", ha1(algorithm), clock.instant());
  }

  private static String nonce(String challenge) {
    return AuthParams.parse(challenge.substring("Digest ".length())).get("nonce");
  }
}
