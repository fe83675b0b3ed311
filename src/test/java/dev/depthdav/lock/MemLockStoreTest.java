package dev.depthdav.lock;

class MemLockStoreTest extends LockStoreContract {
  private final MemLockStore store = new MemLockStore();

  @Override
  protected LockStore store() {
    return store;
  }
}
