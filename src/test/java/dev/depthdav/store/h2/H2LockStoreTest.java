package dev.depthdav.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthdav.lock.Lock;
import dev.depthdav.lock.LockStore;
import dev.depthdav.lock.LockStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2LockStoreTest extends LockStoreContract {
  @TempDir Path dir;
  private H2Store h2;
  private H2LockStore store;

  @BeforeEach
  void open() {
    h2 = H2Store.open(dir);
    store = new H2LockStore(h2);
  }

  @AfterEach
  void close() {
    h2.close();
  }

  @Override
  protected LockStore store() {
    return store;
  }

  @Test
  void locks_surviveReopen() {
    Lock l = store.create(lock("/durable", true, true), NOW);
    h2.close();
    open();
    assertEquals(l, store.get(l.token(), NOW).orElseThrow());
  }
}
