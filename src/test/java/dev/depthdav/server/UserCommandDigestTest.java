package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.DigestHa1;
import dev.depthdav.auth.MemUsers;
import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code depthdav user passwd} with and without {@code --digest}, on {@link MemUsers}. */
class UserCommandDigestTest {
  final MemUsers users = new MemUsers();

  @Test
  void passwd_digest_storesBothSecretsOfTheNewPassword() throws Exception {
    users.add(new User("mufasa", Passwords.hash("old".toCharArray()), "/", false,
        User.NO_QUOTA, false));
    run(List.of("passwd", "mufasa", "--digest", "--password-stdin"), "Circle of Life");
    User u = users.find("mufasa").orElseThrow();
    assertEquals(DigestHa1.of("mufasa", Authenticator.REALM, "Circle of Life".toCharArray()),
        u.digest());
    assertTrue(Passwords.verify("Circle of Life".toCharArray(), u.passwordHash()));
  }

  @Test
  void passwd_withoutDigest_removesTheOldSecrets() throws Exception {
    users.add(new User("mufasa", Passwords.hash("old".toCharArray()), "/", false,
        User.NO_QUOTA, false, DigestHa1.of("mufasa", Authenticator.REALM, "old".toCharArray())));
    run(List.of("passwd", "mufasa", "--password-stdin"), "Circle of Life");
    assertNull(users.find("mufasa").orElseThrow().digest());
  }

  @Test
  void prepare_digestWithoutPassword_refused() {
    assertThrows(UserCommand.Refused.class, () -> prepare(List.of("remove", "x", "--digest"), ""));
    assertThrows(UserCommand.Refused.class,
        () -> prepare(List.of("passwd", "x", "--digest", "--password-hash", "h"), ""));
  }

  private List<String> prepare(List<String> args, String stdin) throws Exception {
    return UserCommand.prepare(args,
        new ByteArrayInputStream((stdin + "\n").getBytes(StandardCharsets.UTF_8)), null);
  }

  private void run(List<String> args, String stdin) throws Exception {
    UserCommand.run(prepare(args, stdin), users, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
