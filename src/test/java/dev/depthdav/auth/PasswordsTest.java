package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {
  @Test
  void hash_thenVerify_rightPasswordOnly() {
    String encoded = Passwords.hash("correct horse".toCharArray());
    assertTrue(Passwords.verify("correct horse".toCharArray(), encoded));
    assertFalse(Passwords.verify("correct horsf".toCharArray(), encoded));
    assertFalse(Passwords.verify(new char[0], encoded));
  }

  @Test
  void hash_owaspParameters_phcString() {
    String encoded = Passwords.hash("x".toCharArray());
    // 16 bytes of salt are 22 base64 characters unpadded, 32 bytes of hash 43.
    assertTrue(
        encoded.matches(
            "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"),
        encoded);
    assertTrue(Passwords.wellFormed(encoded));
  }

  @Test
  void hash_samePasswordTwice_saltsDiffer() {
    String a = Passwords.hash("same".toCharArray());
    String b = Passwords.hash("same".toCharArray());
    assertNotEquals(a.split("\\$")[4], b.split("\\$")[4]);
    assertNotEquals(a, b);
  }

  @Test
  void hash_unicodePassword_verifiesAsUtf8() {
    char[] password = "Grüße, 世界 🔑".toCharArray();
    String encoded = Passwords.hash(password);
    assertTrue(Passwords.verify("Grüße, 世界 🔑".toCharArray(), encoded));
    assertFalse(Passwords.verify("Grusse, 世界 🔑".toCharArray(), encoded));
  }

  @Test
  void verify_argon2idReferenceVector_true() {
    // The argon2 reference implementation's own test (phc-winner-argon2 src/test.c, version 0x13):
    // password "password", salt "somesalt", m=256, t=2, p=2.
    String encoded =
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";
    assertTrue(Passwords.verify("password".toCharArray(), encoded));
    assertFalse(Passwords.verify("passwore".toCharArray(), encoded));
  }

  /** Openwall crypt_blowfish test vectors (crypt_blowfish.c, the tests[] table), and htpasswd. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          good: crypt_blowfish U*U   | U*U   | $2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW
          good: crypt_blowfish U*U*  | U*U*  | $2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK
          good: crypt_blowfish U*U*U | U*U*U | $2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a
          good: crypt_blowfish empty | ''    | $2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy
          good: $2b$ as OpenBSD      | U*U   | $2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW
          good: htpasswd -nbB -C 5   | 'wonder land:1' | $2y$05$PIrpOhmq0V6UzqGgiWd7/ezSkmb0WGvlUz2VrhIEHTDu4TsZt/XAG
          """)
  void verify_bcrypt_matches(String name, String password, String encoded) {
    assertTrue(Passwords.wellFormed(encoded));
    assertTrue(Passwords.verify(password.toCharArray(), encoded));
    assertFalse(Passwords.verify((password + "x").toCharArray(), encoded));
  }

  @ParameterizedTest(name = "bad: {0}")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "plain text",
        "$apr1$KcdRdG9n$3jCYYIyWcwhw4tBXJD4sn/",
        "{SHA}lcsL/Sl3x2EpjZYk5LTUxyo5l0o=",
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe",
        "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "$argon2i$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=16$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$t=2,m=256,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=8,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=256,t=0,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ=$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=256,t=2,p=2$c29tZ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$",
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc$x",
      })
  void verify_malformed_falseNeverThrows(String encoded) {
    assertFalse(Passwords.wellFormed(encoded));
    assertFalse(Passwords.verify("password".toCharArray(), encoded));
    assertFalse(Passwords.verify("U*U".toCharArray(), encoded));
  }

  @Test
  void verify_nullPassword_false() {
    assertFalse(Passwords.verify(null, Passwords.hash("x".toCharArray())));
  }

  @Test
  void verify_bcryptOver72Bytes_matchesAsHtpasswdTruncates() {
    // Written by htpasswd -nbB -C 4 for 80 times 'a': bcrypt reads only the first 72 bytes.
    String encoded = "$2y$04$vG5/LXsH/Ijn0dVsu.i3Qe4JJUcYIDbG/TOkVBNLrgl/tg3wM1p3y";
    assertTrue(Passwords.verify("a".repeat(80).toCharArray(), encoded));
    assertTrue(Passwords.verify("a".repeat(72).toCharArray(), encoded));
    assertFalse(Passwords.verify("a".repeat(71).toCharArray(), encoded));
  }
}
