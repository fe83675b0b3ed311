package dev.depthdav.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent successful logins, so that a client sending Basic on every request pays for argon2 or
 * bcrypt once in a while rather than each time. An entry is keyed by HMAC-SHA256 of user, NUL and
 * password under a per-instance random key: no password, nor an offline-checkable hash of one, is
 * kept. Entries expire, count only for the generation they were put with (the caller bumps it
 * whenever users or passwords change), and the oldest give way beyond the bound. Thread-safe.
 */
public final class CredentialCache {
  /** How long a verified password is believed by default. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** How many entries are kept by default. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private final Hmac hmac = new Hmac();
  private final InstantSource clock;
  private final Duration ttl;
  private final int maxEntries;
  private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by this; oldest first

  private record Entry(String user, long generation, Instant expires) {}

  /** A cache with the default lifetime and bound. */
  public CredentialCache(InstantSource clock) {
    this(clock, DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
  }

  /** A cache whose entries live {@code ttl}, holding at most {@code maxEntries}. */
  public CredentialCache(InstantSource clock, Duration ttl, int maxEntries) {
    if (maxEntries < 1 || ttl.isNegative()) {
      throw new IllegalArgumentException("need maxEntries >= 1 and a ttl >= 0");
    }
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  /** Whether {@code user} logged in with {@code password} lately, in {@code generation}. */
  public boolean contains(String user, char[] password, long generation) {
    String key = key(user, password);
    Instant now = clock.instant();
    synchronized (this) {
      Entry e = entries.get(key);
      if (e == null) {
        return false;
      }
      if (e.generation() != generation || !now.isBefore(e.expires())) {
        entries.remove(key);
        return false;
      }
      return e.user().equals(user);
    }
  }

  /** Records that {@code user} logged in with {@code password} in {@code generation}. */
  public void put(String user, char[] password, long generation) {
    String key = key(user, password);
    Instant now = clock.instant();
    synchronized (this) {
      entries.remove(key); // so that it goes to the young end
      entries.put(key, new Entry(user, generation, now.plus(ttl)));
      Iterator<Entry> oldest = entries.values().iterator();
      while (oldest.hasNext()) {
        Entry e = oldest.next();
        if (entries.size() <= maxEntries && now.isBefore(e.expires())) {
          break;
        }
        oldest.remove();
      }
    }
  }

  /** Forgets every entry. */
  public synchronized void clear() {
    entries.clear();
  }

  /** The number of entries, expired ones included until they are dropped. */
  synchronized int size() {
    return entries.size();
  }

  private String key(String user, char[] password) {
    byte[] utf8 = Secrets.utf8(password);
    try {
      byte[] mac = hmac.mac(user.getBytes(StandardCharsets.UTF_8), new byte[] {0}, utf8);
      return Base64.getEncoder().encodeToString(mac);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }
}
