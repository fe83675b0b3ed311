package dev.depthdav.store;

import dev.depthdav.lock.Lock;
import dev.depthdav.lock.LockStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store's lock table ({@link Tx#locks()}) seen one call per transaction, so that the lock
 * contract runs against every store through the seam the server uses.
 */
public final class TxLocks implements LockStore {
  private final Store store;

  public TxLocks(Store store) {
    this.store = store;
  }

  @Override
  public List<Lock> covering(String path, Instant now) {
    return store.read(tx -> tx.locks().covering(path, now));
  }

  @Override
  public List<Lock> coveringWithParent(String path, Instant now) {
    return store.read(tx -> tx.locks().coveringWithParent(path, now));
  }

  @Override
  public List<Lock> within(String path, Instant now) {
    return store.read(tx -> tx.locks().within(path, now));
  }

  @Override
  public Optional<Lock> get(String token, Instant now) {
    return store.read(tx -> tx.locks().get(token, now));
  }

  @Override
  public Lock create(Lock lock, Instant now) {
    return store.write(tx -> tx.locks().create(lock, now));
  }

  @Override
  public Optional<Lock> refresh(String token, Instant expires, Instant now) {
    return store.write(tx -> tx.locks().refresh(token, expires, now));
  }

  @Override
  public boolean remove(String token) {
    return store.writeToFree(tx -> tx.locks().remove(token));
  }

  @Override
  public int removeWithin(String path) {
    return store.writeToFree(tx -> tx.locks().removeWithin(path));
  }

  @Override
  public int sweep(Instant now) {
    return store.writeToFree(tx -> tx.locks().sweep(now));
  }

  @Override
  public List<Lock> all(Instant now) {
    return store.read(tx -> tx.locks().all(now));
  }
}
