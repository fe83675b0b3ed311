package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.Passwords;
import dev.depthdav.auth.User;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that would give a network every file refuses to start, and says why. */
class ExposureTest {
  @TempDir Path data;

  String refusal(String bind, Authenticator.Anonymous anonymous, boolean withUser)
      throws Exception {
    try (JdbcStore store = JdbcStore.openForCheck(data)) {
      JdbcUsers users = new JdbcUsers(store);
      if (withUser && users.list().isEmpty()) {
        users.add(new User("alice", Passwords.hash("pw".toCharArray()), "/", false,
            User.NO_QUOTA, false));
      }
      Config c = Config.defaults(0, bind, data)
          .withSecurity(new Security(anonymous, false, null, List.of(), 0, false));
      return Main.exposure(c, DavServer.authenticator(c, users));
    }
  }

  @Test
  void nonLoopback_noUsers_noAnonymous_refused() throws Exception {
    String why = refusal("0.0.0.0", Authenticator.Anonymous.NONE, false);
    assertNotNull(why);
    assertTrue(why.contains("user add") && why.contains("--anonymous read"), why);
  }

  @Test
  void nonLoopback_withUsersOrAnonymousRead_starts() throws Exception {
    assertNull(refusal("0.0.0.0", Authenticator.Anonymous.READ, false));
    assertNull(refusal("0.0.0.0", Authenticator.Anonymous.NONE, true));
  }

  @Test
  void loopback_noUsers_starts() throws Exception {
    assertNull(refusal("127.0.0.1", Authenticator.Anonymous.NONE, false));
    assertNull(refusal("::1", Authenticator.Anonymous.NONE, false));
  }
}
