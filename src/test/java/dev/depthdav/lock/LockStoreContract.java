package dev.depthdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LockStore} must have. */
public abstract class LockStoreContract {
  protected static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Instant LATER = NOW.plusSeconds(3600);

  protected abstract LockStore store();

  protected static Lock lock(String root, boolean exclusive, boolean infinite) {
    return new Lock(LockStore.newToken(), root, exclusive, infinite, "<D:owner xmlns:D=\"DAV:\">"
        + "me</D:owner>", null, NOW, LATER);
  }

  private static List<String> roots(List<Lock> locks) {
    return locks.stream().map(Lock::root).sorted().toList();
  }

  @Test
  void covering_selfAndInfiniteAncestorsOnly() {
    store().create(lock("/a", true, true), NOW);
    store().create(lock("/b", true, false), NOW);
    assertEquals(List.of("/a"), roots(store().covering("/a/x/y", NOW)));
    assertEquals(List.of("/b"), roots(store().covering("/b", NOW)));
    assertEquals(List.of(), roots(store().covering("/b/x", NOW)));
    assertEquals(List.of(), roots(store().covering("/ab", NOW)));
  }

  @Test
  void within_subtreeByPathNotByPrefix() {
    store().create(lock("/a/b", true, false), NOW);
    store().create(lock("/a_b", true, false), NOW);
    store().create(lock("/a%/c", true, false), NOW);
    assertEquals(List.of("/a/b"), roots(store().within("/a", NOW)));
    assertEquals(List.of("/a%/c"), roots(store().within("/a%", NOW)));
    assertEquals(3, store().within("/", NOW).size());
  }

  @Test
  void create_conflicts() {
    store().create(lock("/a", true, true), NOW);
    assertThrows(LockConflictException.class, () -> store().create(lock("/a/b", false, false), NOW));
    store().create(lock("/s", false, false), NOW);
    store().create(lock("/s", false, false), NOW); // shared with shared
    assertThrows(LockConflictException.class, () -> store().create(lock("/s", true, false), NOW));
    store().create(lock("/d/e", true, false), NOW);
    // RFC 4918 §9.10: a depth-infinity lock conflicts with a lock below it.
    LockConflictException e = assertThrows(LockConflictException.class,
        () -> store().create(lock("/d", true, true), NOW));
    assertEquals("/d/e", e.existing().root());
    store().create(lock("/d", true, false), NOW); // depth 0 does not reach /d/e
  }

  @Test
  void expired_countsForNothing() {
    Lock l = store().create(lock("/a", true, true), NOW);
    assertTrue(store().get(l.token(), NOW).isPresent());
    assertTrue(store().get(l.token(), LATER).isEmpty());
    assertTrue(store().covering("/a", LATER).isEmpty());
    Lock fresh = lock("/a", true, true);
    store().create(fresh.withExpiry(LATER.plusSeconds(60)), LATER); // no conflict with the dead one
    assertEquals(1, store().sweep(LATER));
    assertEquals(1, store().all(LATER).size());
  }

  @Test
  void refresh_extendsLiveLockOnly() {
    Lock l = store().create(lock("/a", true, false), NOW);
    Instant later = LATER.plusSeconds(100);
    assertEquals(later, store().refresh(l.token(), later, NOW).orElseThrow().expires());
    assertTrue(store().refresh("urn:uuid:nope", later, NOW).isEmpty());
    assertTrue(store().refresh(l.token(), later.plusSeconds(1), later).isEmpty());
  }

  @Test
  void remove_andRemoveWithin() {
    Lock a = store().create(lock("/a", true, false), NOW);
    store().create(lock("/t/x", true, false), NOW);
    store().create(lock("/t/y/z", false, false), NOW);
    store().create(lock("/tt", true, false), NOW);
    assertTrue(store().remove(a.token()));
    assertFalse(store().remove(a.token()));
    assertEquals(2, store().removeWithin("/t"));
    assertEquals(List.of("/tt"), roots(store().all(NOW)));
  }

  @Test
  void ownerXml_keptExactly() {
    Lock l = store().create(lock("/o", true, false), NOW);
    assertEquals(l, store().get(l.token(), NOW).orElseThrow());
  }
}
