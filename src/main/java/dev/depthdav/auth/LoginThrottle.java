package dev.depthdav.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed logins counted per source address and per user name. The first {@link #FREE_FAILURES}
 * failures cost nothing; after that a key is blocked for 1 s, then 2 s, 4 s and so on, at most
 * {@link #MAX_BLOCK}. A key's count is forgotten once it has seen no failure for the window.
 * Addresses and user names are held in two maps, each bounded, so that a flood of made-up user
 * names can push out only other user names. Note that blocking a user name lets anyone delay that
 * user's logins: the price of slowing down guessing from many addresses. Thread-safe.
 */
public final class LoginThrottle {
  /** Failures allowed before the first block. */
  public static final int FREE_FAILURES = 5;

  /** The longest block. */
  public static final Duration MAX_BLOCK = Duration.ofMinutes(15);

  /** How long a key must see no failure before its count is forgotten, by default. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

  /** How many addresses, and how many user names, are tracked by default. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  /**
   * Longer keys are cut: names sharing their first 128 chars share a count, which is only stricter.
   */
  private static final int MAX_KEY_LENGTH = 128;

  private final Counts addresses;
  private final Counts users;

  /** A throttle with the default window and bound. */
  public LoginThrottle() {
    this(DEFAULT_WINDOW, DEFAULT_MAX_KEYS);
  }

  /**
   * A throttle forgetting a key after {@code window} without failures, tracking {@code maxKeys}.
   */
  public LoginThrottle(Duration window, int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.addresses = new Counts(window, maxKeys);
    this.users = new Counts(window, maxKeys);
  }

  /**
   * How long logins from {@code address} or as {@code user} must still wait; empty if not at all.
   */
  public Optional<Duration> blocked(String address, String user, Instant now) {
    Duration a = addresses.blocked(address, now);
    Duration u = users.blocked(user, now);
    Duration longer = a.compareTo(u) >= 0 ? a : u;
    return longer.isZero() ? Optional.empty() : Optional.of(longer);
  }

  /** Counts a failed login from {@code address} as {@code user} (either may be null). */
  public void failed(String address, String user, Instant now) {
    addresses.failed(address, now);
    users.failed(user, now);
  }

  /** Forgets the failures of {@code address} and of {@code user}. */
  public void succeeded(String address, String user) {
    addresses.clear(address);
    users.clear(user);
  }

  /** The number of addresses and user names tracked. */
  int size() {
    return addresses.size() + users.size();
  }

  /** How long a key is blocked after its {@code failures}-th failure: zero, then 1 s doubling. */
  static Duration blockAfter(int failures) {
    if (failures < FREE_FAILURES) {
      return Duration.ZERO;
    }
    Duration d = Duration.ofSeconds(1L << Math.min(failures - FREE_FAILURES, 30));
    return d.compareTo(MAX_BLOCK) < 0 ? d : MAX_BLOCK;
  }

  /** One key's failures: how many, the last, and the end of its block. */
  private record Count(int failures, Instant last, Instant until) {}

  /** A bounded map of counts whose oldest-failing key goes first. */
  private static final class Counts {
    private final Duration window;
    private final int maxKeys;
    private final Map<String, Count> counts = new LinkedHashMap<>(); // guarded by this

    Counts(Duration window, int maxKeys) {
      this.window = window;
      this.maxKeys = maxKeys;
    }

    synchronized Duration blocked(String key, Instant now) {
      Count c = key == null ? null : counts.get(cut(key));
      return c == null || !now.isBefore(c.until())
          ? Duration.ZERO
          : Duration.between(now, c.until());
    }

    synchronized void failed(String key, Instant now) {
      if (key == null) {
        return;
      }
      Count old = counts.remove(cut(key));
      boolean forgotten = old == null || Duration.between(old.last(), now).compareTo(window) > 0;
      int failures = forgotten ? 1 : Math.min(old.failures(), Integer.MAX_VALUE - 1) + 1;
      counts.put(cut(key), new Count(failures, now, now.plus(blockAfter(failures))));
      Iterator<String> oldest = counts.keySet().iterator();
      while (counts.size() > maxKeys) {
        oldest.next();
        oldest.remove();
      }
    }

    synchronized void clear(String key) {
      if (key != null) {
        counts.remove(cut(key));
      }
    }

    synchronized int size() {
      return counts.size();
    }

    private static String cut(String key) {
      return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }
  }
}
