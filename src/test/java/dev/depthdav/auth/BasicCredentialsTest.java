package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7617 Basic credentials, with the RFC's own examples. */
class BasicCredentialsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          good: RFC 7617 §2 Aladdin           | Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== | Aladdin | open sesame
          good: RFC 7617 §2.1 test:123£ UTF-8 | Basic dGVzdDoxMjPCow==             | test    | 123£
          good: scheme is case-insensitive    | bAsIc QWxhZGRpbjpvcGVuIHNlc2FtZQ== | Aladdin | open sesame
          good: several spaces, outer OWS     | '  Basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ== ' | Aladdin | open sesame
          good: colons belong to the password | Basic dTphOmI6Yw==                 | u       | a:b:c
          good: empty password                | Basic dTo=                         | u       | ''
          good: empty user-id                 | Basic OnA=                         | ''      | p
          good: padding may be left out       | Basic dTpw                         | u       | p
          """)
  void parse_good(String name, String header, String user, String password) {
    BasicCredentials c = BasicCredentials.parse(header);
    assertEquals(user, c.user());
    assertEquals(password, new String(c.password()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bad: no credentials                 | Basic
          bad: not base64                     | Basic QWxh!GRpbg==
          bad: base64 of a wrong length       | Basic QWxhZ
          bad: two tokens                     | Basic QWxh ZGRp
          bad: base64url alphabet             | Basic dTp-_w==
          bad: auth-params, not token68       | Basic realm="x"
          bad: no colon                       | Basic QWxhZGRpbg==
          bad: Latin-1, not UTF-8 (test:123£) | Basic dGVzdDoxMjOj
          """)
  void parse_bad(String name, String header) {
    assertThrows(AuthSyntaxException.class, () -> BasicCredentials.parse(header));
  }

  @Test
  void parse_controlCharInUser_throwsWithoutSecrets() {
    AuthSyntaxException e =
        assertThrows(
            AuthSyntaxException.class, () -> BasicCredentials.parse(basic("a\u0001b:s3cret")));
    assertTrue(e.getMessage().contains("user-id"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"));
  }

  @Test
  void parse_controlCharInPassword_throwsWithoutSecrets() {
    AuthSyntaxException e =
        assertThrows(AuthSyntaxException.class, () -> BasicCredentials.parse(basic("ab:s3\ncret")));
    assertTrue(e.getMessage().contains("password"), e.getMessage());
    assertFalse(e.getMessage().contains("s3"));
  }

  @Test
  void parse_otherScheme_null() {
    assertNull(BasicCredentials.parse(null));
    assertNull(BasicCredentials.parse(""));
    assertNull(BasicCredentials.parse("Bearer mF_9.B5f-4.1JqM"));
    assertNull(BasicCredentials.parse("Digest username=\"Mufasa\""));
    assertNull(BasicCredentials.parse("BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
  }

  @Test
  void toString_neverShowsPassword() {
    BasicCredentials c = BasicCredentials.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assertFalse(c.toString().contains("open"), c.toString());
    assertTrue(c.toString().contains("Aladdin"));
  }

  @Test
  void equals_comparesPasswordContent() {
    assertEquals(
        new BasicCredentials("u", "p".toCharArray()), new BasicCredentials("u", "p".toCharArray()));
    assertFalse(
        new BasicCredentials("u", "p".toCharArray())
            .equals(new BasicCredentials("u", new char[0])));
  }

  @Test
  void challenge_quotesRealmAndAsksForUtf8() {
    // RFC 7617 §2.1's example: WWW-Authenticate: Basic realm="foo", charset="UTF-8"
    assertEquals("Basic realm=\"foo\", charset=\"UTF-8\"", BasicCredentials.challenge("foo"));
    assertEquals("Basic realm=\"a\\\"b\", charset=\"UTF-8\"", BasicCredentials.challenge("a\"b"));
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }
}
