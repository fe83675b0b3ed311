package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthdav.lock.Lock;
import dev.depthdav.lock.LockStore;
import dev.depthdav.lock.LockStoreContract;
import dev.depthdav.store.TxLocks;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock contract against H2's lock table, through {@code Tx.locks()}. */
class H2LockStoreTest extends LockStoreContract {
  @TempDir Path dir;
  private JdbcStore h2;
  private LockStore store;

  @BeforeEach
  void open() {
    h2 = JdbcStore.open(dir);
    store = new TxLocks(h2);
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
