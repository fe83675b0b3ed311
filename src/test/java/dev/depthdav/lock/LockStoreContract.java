package dev.depthdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The behaviour every {@link LockStore} must have; subclasses supply a fresh, empty store. */
public abstract class LockStoreContract {
  protected static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Instant LATER = NOW.plusSeconds(3600);

  protected abstract LockStore store();

  /** A lock granted at {@link #NOW} that lapses at {@link #LATER}. */
  protected static Lock lock(String root, boolean exclusive, boolean infinite) {
    return new Lock(LockStore.newToken(), root, exclusive, infinite,
        "<D:owner xmlns:D=\"DAV:\">me</D:owner>", null, NOW, LATER);
  }

  private static List<String> roots(List<Lock> locks) {
    return locks.stream().map(Lock::root).sorted().toList();
  }

  /**
   * RFC 4918 §6.1, §9.10.3-9.10.5: an exclusive lock conflicts with any lock, a shared one with
   * an exclusive one, among the locks covering the new root and, for a Depth: infinity lock, the
   * locks rooted below it. Columns: existing lock, new lock, as "scope depth root".
   */
  @ParameterizedTest(name = "{0} then {1}: conflict {2}")
  @CsvSource({
    "excl 0 /a,        excl 0 /a,        true",
    "excl 0 /a,        shared 0 /a,      true",
    "shared 0 /a,      excl 0 /a,        true",
    "shared 0 /a,      shared 0 /a,      false",
    "shared inf /a,    shared inf /a,    false",
    "excl inf /a,      shared 0 /a/b/c,  true",
    "shared inf /a,    excl 0 /a/b,      true",
    "shared inf /a,    shared 0 /a/b,    false",
    "excl 0 /a,        excl 0 /a/b,      false",
    "excl 0 /a/b,      excl inf /a,      true",
    "excl 0 /a/b/c,    shared inf /a,    true",
    "shared 0 /a/b,    shared inf /a,    false",
    "excl 0 /a/b,      excl 0 /a,        false",
    "shared 0 /x,      excl inf /,       true",
    "excl inf /,       excl 0 /x,        true",
    "excl inf /a,      excl 0 /ab,       false",
    "excl inf /a,      excl inf /b,      false",
    "excl inf /a/b,    excl inf /a,      true",
  })
  void create_conflictRules(String existing, String wanted, boolean conflicts) {
    Lock old = store().create(parse(existing), NOW);
    Lock next = parse(wanted);
    if (conflicts) {
      LockConflictException e =
          assertThrows(LockConflictException.class, () -> store().create(next, NOW));
      assertEquals(old, e.existing());
      assertTrue(store().get(next.token(), NOW).isEmpty());
    } else {
      assertEquals(next, store().create(next, NOW));
      assertEquals(2, store().all(NOW).size());
    }
  }

  private static Lock parse(String spec) {
    String[] f = spec.trim().split(" +");
    return lock(f[2], f[0].equals("excl"), f[1].equals("inf"));
  }

  @Test
  void covering_selfAndInfiniteAncestorsOnly() {
    store().create(lock("/a", true, true), NOW);
    store().create(lock("/b", true, false), NOW);
    assertEquals(List.of("/a"), roots(store().covering("/a", NOW)));
    assertEquals(List.of("/a"), roots(store().covering("/a/x/y", NOW)));
    assertEquals(List.of("/b"), roots(store().covering("/b", NOW)));
    assertEquals(List.of(), roots(store().covering("/b/x", NOW)));
    assertEquals(List.of(), roots(store().covering("/ab", NOW)));
    assertEquals(List.of(), roots(store().covering("/", NOW)));
  }

  @Test
  void covering_rootLock_coversEverything() {
    store().create(lock("/", false, true), NOW);
    store().create(lock("/a", false, true), NOW);
    assertEquals(List.of("/", "/a"), roots(store().covering("/a/b", NOW)));
    assertEquals(List.of("/"), roots(store().covering("/", NOW)));
  }

  /**
   * What a new member must honour: the locks covering it and those covering its parent, once
   * each; not a depth-0 lock further up, a sibling's, a child's or a name that only shares a
   * prefix.
   */
  @Test
  void coveringWithParent_isWhatCoversThePathOrItsParent() {
    store().create(lock("/a", false, false), NOW); // depth 0, two up: no
    store().create(lock("/x", false, true), NOW); // elsewhere: no
    store().create(lock("/a/b", false, false), NOW); // depth 0 on the parent: yes
    store().create(lock("/a/b/c", false, false), NOW); // the path itself: yes
    store().create(lock("/a/b/c/d", false, false), NOW); // a child: no
    store().create(lock("/a/b/s", false, false), NOW); // a sibling: no
    store().create(lock("/a/b_", false, true), NOW); // a prefix only: no
    store().create(lock("/", false, true), NOW); // infinite at the root: yes
    List<String> expected = List.of("/", "/a/b", "/a/b/c");
    assertEquals(expected, roots(store().coveringWithParent("/a/b/c", NOW)));
    List<Lock> union = new ArrayList<>(store().covering("/a/b/c", NOW));
    store().covering("/a/b", NOW).stream()
        .filter(l -> union.stream().noneMatch(u -> u.token().equals(l.token())))
        .forEach(union::add);
    assertEquals(expected, roots(union));
    assertEquals(List.of("/"), roots(store().coveringWithParent("/", NOW)));
    assertEquals(List.of("/", "/x"), roots(store().coveringWithParent("/x", NOW)));
  }

  @Test
  void within_subtreeByPathNotByPrefix() {
    store().create(lock("/a/b", true, false), NOW);
    store().create(lock("/a_b", true, false), NOW);
    store().create(lock("/a%/c", true, false), NOW);
    store().create(lock("/a", true, false), NOW);
    assertEquals(List.of("/a", "/a/b"), roots(store().within("/a", NOW)));
    assertEquals(List.of("/a%/c"), roots(store().within("/a%", NOW)));
    assertEquals(List.of(), roots(store().within("/a/b/c", NOW)));
    assertEquals(4, store().within("/", NOW).size());
  }

  @Test
  void get_unknownOrExpired_isEmpty() {
    Lock l = store().create(lock("/a", true, false), NOW);
    assertEquals(l, store().get(l.token(), NOW).orElseThrow());
    assertTrue(store().get("urn:uuid:nope", NOW).isEmpty());
    assertTrue(store().get(l.token(), LATER).isEmpty());
  }

  @Test
  void expired_countsForNothing() {
    Lock l = store().create(lock("/a", true, true), NOW);
    assertTrue(store().get(l.token(), LATER.minusMillis(1)).isPresent());
    assertTrue(store().covering("/a", LATER).isEmpty());
    assertTrue(store().within("/", LATER).isEmpty());
    assertTrue(store().all(LATER).isEmpty());
    Lock fresh = lock("/a/b", true, true).withExpiry(LATER.plusSeconds(60));
    store().create(fresh, LATER); // the lapsed lock on /a no longer conflicts
    assertEquals(1, store().sweep(LATER));
    assertEquals(List.of(fresh), store().all(LATER));
    assertEquals(0, store().sweep(LATER));
  }

  @Test
  void refresh_extendsLiveLockOnly() {
    Lock l = store().create(lock("/a", true, false), NOW);
    Instant later = LATER.plusSeconds(100);
    assertEquals(l.withExpiry(later), store().refresh(l.token(), later, NOW).orElseThrow());
    assertEquals(later, store().get(l.token(), LATER).orElseThrow().expires());
    assertTrue(store().refresh("urn:uuid:nope", later, NOW).isEmpty());
    assertTrue(store().refresh(l.token(), later.plusSeconds(1), later).isEmpty());
  }

  @Test
  void remove_andRemoveWithin() {
    Lock a = store().create(lock("/a", true, false), NOW);
    store().create(lock("/t", true, false), NOW);
    store().create(lock("/t/x", true, false), NOW);
    store().create(lock("/t/y/z", false, false), NOW);
    store().create(lock("/tt", true, false), NOW);
    assertTrue(store().remove(a.token()));
    assertFalse(store().remove(a.token()));
    assertEquals(3, store().removeWithin("/t"));
    assertEquals(List.of("/tt"), roots(store().all(NOW)));
    assertEquals(1, store().removeWithin("/"));
    assertTrue(store().all(NOW).isEmpty());
  }

  @Test
  void create_keepsEveryFieldExactly() {
    Lock l = new Lock(LockStore.newToken(), "/o", false, true,
        "<D:owner xmlns:D=\"DAV:\"><D:href>http://x/~me</D:href> &amp; é</D:owner>", "alice",
        NOW, LATER);
    store().create(l, NOW);
    assertEquals(l, store().get(l.token(), NOW).orElseThrow());
  }
}
