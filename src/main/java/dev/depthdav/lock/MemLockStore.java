package dev.depthdav.lock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The in-memory reference implementation of {@link LockStore}: on its own, or as the lock table
 * of the in-memory store's transactions (which copy it to roll back).
 */
public final class MemLockStore implements LockStore {
  private final Map<String, Lock> locks = new LinkedHashMap<>();

  public MemLockStore() {}

  private MemLockStore(Map<String, Lock> from) {
    locks.putAll(from);
  }

  /** An independent copy with the same locks. */
  public synchronized MemLockStore copy() {
    return new MemLockStore(locks);
  }

  @Override
  public synchronized List<Lock> covering(String path, Instant now) {
    return select(l -> l.covers(path), now);
  }

  @Override
  public synchronized List<Lock> coveringWithParent(String path, Instant now) {
    String parent = Lock.parentOf(path);
    return select(l -> l.covers(path) || l.covers(parent), now);
  }

  @Override
  public synchronized List<Lock> within(String path, Instant now) {
    return select(l -> l.root().equals(path) || Lock.isAncestor(path, l.root()), now);
  }

  @Override
  public synchronized Optional<Lock> get(String token, Instant now) {
    Lock l = locks.get(token);
    return l == null || l.expired(now) ? Optional.empty() : Optional.of(l);
  }

  @Override
  public synchronized Lock create(Lock lock, Instant now) {
    List<Lock> near = new ArrayList<>(covering(lock.root(), now));
    if (lock.infinite()) {
      for (Lock l : within(lock.root(), now)) {
        if (!near.contains(l)) {
          near.add(l);
        }
      }
    }
    Lock c = LockStore.conflict(lock, near);
    if (c != null) {
      throw new LockConflictException(c);
    }
    locks.put(lock.token(), lock);
    return lock;
  }

  @Override
  public synchronized Optional<Lock> refresh(String token, Instant expires, Instant now) {
    return get(token, now).map(l -> {
      Lock r = l.withExpiry(expires);
      locks.put(token, r);
      return r;
    });
  }

  @Override
  public synchronized boolean remove(String token) {
    return locks.remove(token) != null;
  }

  @Override
  public synchronized int removeWithin(String path) {
    int before = locks.size();
    locks.values().removeIf(l -> l.root().equals(path) || Lock.isAncestor(path, l.root()));
    return before - locks.size();
  }

  @Override
  public synchronized int sweep(Instant now) {
    int before = locks.size();
    locks.values().removeIf(l -> l.expired(now));
    return before - locks.size();
  }

  @Override
  public synchronized List<Lock> all(Instant now) {
    return select(l -> true, now);
  }

  private List<Lock> select(Predicate<Lock> p, Instant now) {
    List<Lock> out = new ArrayList<>();
    for (Lock l : locks.values()) {
      if (!l.expired(now) && p.test(l)) {
        out.add(l);
      }
    }
    return out;
  }
}
