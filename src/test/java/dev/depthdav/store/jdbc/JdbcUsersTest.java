package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.depthdav.auth.User;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts' generation, which caches of logins are keyed by: a change made here moves it at
 * once; a change made by another server on the same database moves it once the recheck interval
 * has passed, not before (one read of the shared counter per interval, not per request).
 */
class JdbcUsersTest {
  @TempDir Path dir;

  /** A clock that moves only when told; starts on the last day of a leap February. */
  static final class Clock implements InstantSource {
    Instant now = Instant.parse("2028-02-29T23:59:59.500Z");

    @Override
    public Instant instant() {
      return now;
    }
  }

  static User user(String name) {
    return new User(name, "$argon2id$unused", "/", false, User.NO_QUOTA, false);
  }

  @Test
  void changeHere_movesTheGenerationAtOnce() {
    try (JdbcStore store = JdbcStore.open(dir)) {
      JdbcUsers users = new JdbcUsers(store, Duration.ofSeconds(1), new Clock());
      long before = users.generation();
      users.add(user("alice"));
      long added = users.generation();
      assertNotEquals(before, added);
      users.update(user("alice"));
      assertNotEquals(added, users.generation());
    }
  }

  @Test
  void changeByAnotherServer_seenAfterTheRecheckInterval() {
    try (JdbcStore store = JdbcStore.open(dir)) {
      Clock clock = new Clock();
      JdbcUsers here = new JdbcUsers(store, Duration.ofSeconds(1), clock);
      JdbcUsers there = new JdbcUsers(store, Duration.ofSeconds(1), clock);
      long before = here.generation();
      there.add(user("bob"));
      clock.now = clock.now.plusMillis(999);
      assertEquals(before, here.generation(), "read again before the interval passed");
      clock.now = clock.now.plusMillis(1);
      assertNotEquals(before, here.generation());
      long seen = here.generation();
      there.remove("bob");
      clock.now = clock.now.plusSeconds(1);
      assertNotEquals(seen, here.generation(), "a removal moves it too");
    }
  }
}
