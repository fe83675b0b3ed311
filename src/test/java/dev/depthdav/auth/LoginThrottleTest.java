package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginThrottleTest {
  final FakeClock clock = new FakeClock();
  final LoginThrottle throttle = new LoginThrottle();

  @Test
  void blocked_fiveFailures_sixthWaitsOneSecond() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("10.0.0.1", "alice", now());
      assertEquals(Optional.empty(), throttle.blocked("10.0.0.1", "alice", now()));
    }
    throttle.failed("10.0.0.1", "alice", now());
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.blocked("10.0.0.1", "alice", now()));
    clock.advance(Duration.ofMillis(400));
    assertEquals(Optional.of(Duration.ofMillis(600)), throttle.blocked("10.0.0.1", "alice", now()));
    clock.advance(Duration.ofMillis(600));
    assertEquals(Optional.empty(), throttle.blocked("10.0.0.1", "alice", now()));
  }

  @ParameterizedTest(name = "after {0} failures: {1} s")
  @CsvSource({
    "4, 0",
    "5, 1",
    "6, 2",
    "7, 4",
    "8, 8",
    "14, 512",
    "15, 900",
    "40, 900",
    "2147483647, 900"
  })
  void blockAfter_doublesUpToFifteenMinutes(int failures, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), LoginThrottle.blockAfter(failures));
  }

  @Test
  void blocked_furtherFailures_double() {
    failTimes(7, "10.0.0.1", "alice");
    assertEquals(Optional.of(Duration.ofSeconds(4)), throttle.blocked("10.0.0.1", "alice", now()));
  }

  @Test
  void blocked_userFromManyAddresses_userCounts() {
    for (int i = 0; i < 6; i++) {
      throttle.failed("10.0.0." + i, "alice", now());
    }
    assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.blocked("10.9.9.9", "alice", now()));
    assertEquals(Optional.empty(), throttle.blocked("10.9.9.9", "bob", now()));
  }

  @Test
  void blocked_addressTryingManyUsers_addressCounts() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("10.0.0.1", "user" + i, now());
    }
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.blocked("10.0.0.1", "zed", now()));
    assertEquals(Optional.empty(), throttle.blocked("10.0.0.2", "zed", now()));
  }

  @Test
  void blocked_theLongerOfAddressAndUser() {
    failTimes(7, "10.0.0.1", "alice"); // both at 4 s
    throttle.failed("10.0.0.2", "alice", now()); // alice now at 8 s
    assertEquals(Optional.of(Duration.ofSeconds(8)), throttle.blocked("10.0.0.1", "alice", now()));
    assertEquals(Optional.of(Duration.ofSeconds(4)), throttle.blocked("10.0.0.1", "bob", now()));
  }

  @Test
  void succeeded_clearsAddressAndUser() {
    failTimes(6, "10.0.0.1", "alice");
    throttle.succeeded("10.0.0.1", "alice");
    assertEquals(Optional.empty(), throttle.blocked("10.0.0.1", "alice", now()));
    throttle.failed("10.0.0.1", "alice", now());
    assertEquals(Optional.empty(), throttle.blocked("10.0.0.1", "alice", now()), "counts anew");
  }

  @Test
  void failed_afterQuietWindow_countsAnew() {
    failTimes(5, "10.0.0.1", "alice");
    clock.advance(LoginThrottle.DEFAULT_WINDOW.plusMillis(1));
    throttle.failed("10.0.0.1", "alice", now());
    assertEquals(Optional.empty(), throttle.blocked("10.0.0.1", "alice", now()));
  }

  @Test
  void failed_floodOfMadeUpNames_boundedAndAddressKept() {
    LoginThrottle small = new LoginThrottle(LoginThrottle.DEFAULT_WINDOW, 100);
    for (int i = 0; i < 10_000; i++) {
      small.failed("10.0.0.1", "made-up-" + i, now());
    }
    assertTrue(small.size() <= 200, "size " + small.size());
    assertEquals(1, small.size() - 100, "one address, 100 newest names");
    assertTrue(small.blocked("10.0.0.1", null, now()).isPresent());
    assertEquals(Optional.empty(), small.blocked(null, "made-up-0", now()), "oldest name evicted");
  }

  @Test
  void failed_hugeUserName_heldCut() {
    String huge = "x".repeat(100_000);
    failTimes(5, null, huge);
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.blocked(null, huge, now()));
  }

  private void failTimes(int n, String address, String user) {
    for (int i = 0; i < n; i++) {
      throttle.failed(address, user, now());
    }
  }

  private Instant now() {
    return clock.instant();
  }
}
