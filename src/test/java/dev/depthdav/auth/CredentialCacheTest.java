package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {
  final FakeClock clock = new FakeClock();
  final CredentialCache cache = new CredentialCache(clock);

  @Test
  void contains_afterPut_hit() {
    cache.put("alice", "pw".toCharArray(), 1);
    assertTrue(cache.contains("alice", "pw".toCharArray(), 1));
  }

  @Test
  void contains_otherPasswordOrUser_miss() {
    cache.put("alice", "pw".toCharArray(), 1);
    assertFalse(cache.contains("alice", "pW".toCharArray(), 1));
    assertFalse(cache.contains("alicf", "pw".toCharArray(), 1));
    assertFalse(cache.contains("alice", new char[0], 1));
  }

  @Test
  void contains_userAndPasswordSplitElsewhere_miss() {
    // The NUL between user and password keeps "ab" + "c" apart from "a" + "bc".
    cache.put("ab", "c".toCharArray(), 1);
    assertFalse(cache.contains("a", "bc".toCharArray(), 1));
  }

  @Test
  void contains_afterTtl_miss() {
    cache.put("alice", "pw".toCharArray(), 1);
    clock.advance(CredentialCache.DEFAULT_TTL.minusMillis(1));
    assertTrue(cache.contains("alice", "pw".toCharArray(), 1));
    clock.advance(Duration.ofMillis(1));
    assertFalse(cache.contains("alice", "pw".toCharArray(), 1));
  }

  @Test
  void contains_otherGeneration_miss() {
    cache.put("alice", "pw".toCharArray(), 1);
    assertFalse(cache.contains("alice", "pw".toCharArray(), 2));
    assertFalse(cache.contains("alice", "pw".toCharArray(), 1), "an older entry is dropped");
  }

  @Test
  void put_beyondBound_oldestEvicted() {
    CredentialCache small = new CredentialCache(clock, Duration.ofMinutes(10), 3);
    for (String user : new String[] {"a", "b", "c"}) {
      small.put(user, "pw".toCharArray(), 1);
      clock.advance(Duration.ofSeconds(1));
    }
    small.put("a", "pw".toCharArray(), 1); // a is young again
    small.put("d", "pw".toCharArray(), 1);
    assertEquals(3, small.size());
    assertFalse(small.contains("b", "pw".toCharArray(), 1));
    assertTrue(small.contains("a", "pw".toCharArray(), 1));
    assertTrue(small.contains("c", "pw".toCharArray(), 1));
    assertTrue(small.contains("d", "pw".toCharArray(), 1));
  }

  @Test
  void put_expiredEntriesAtTheOldEnd_dropped() {
    cache.put("a", "pw".toCharArray(), 1);
    clock.advance(CredentialCache.DEFAULT_TTL);
    cache.put("b", "pw".toCharArray(), 1);
    assertEquals(1, cache.size());
  }

  @Test
  void clear_forgetsAll() {
    cache.put("alice", "pw".toCharArray(), 1);
    cache.clear();
    assertFalse(cache.contains("alice", "pw".toCharArray(), 1));
  }

  @Test
  void contains_anotherInstance_miss() {
    cache.put("alice", "pw".toCharArray(), 1);
    assertFalse(new CredentialCache(clock).contains("alice", "pw".toCharArray(), 1));
  }
}
