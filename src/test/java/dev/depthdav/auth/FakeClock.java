package dev.depthdav.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** An InstantSource that moves only when a test moves it; starts on an awkward day. */
public final class FakeClock implements InstantSource {
  /** A leap day, one second before the end of the month. */
  public static final Instant START = Instant.parse("2024-02-29T23:59:59Z");

  private Instant now = START;

  @Override
  public Instant instant() {
    return now;
  }

  /** Moves the clock forward by {@code d}. */
  public void advance(Duration d) {
    now = now.plus(d);
  }
}
