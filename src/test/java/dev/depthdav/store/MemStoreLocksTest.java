package dev.depthdav.store;

import dev.depthdav.lock.LockStore;
import dev.depthdav.lock.LockStoreContract;
import dev.depthdav.store.blob.FileBlobStore;
import dev.depthdav.store.mem.MemStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The lock contract against the in-memory store's lock table, through {@code Tx.locks()}. */
class MemStoreLocksTest extends LockStoreContract {
  @TempDir Path dir;
  private MemStore mem;
  private LockStore store;

  @BeforeEach
  void open() throws IOException {
    mem = new MemStore(new FileBlobStore(dir.resolve("blobs")));
    store = new TxLocks(mem);
  }

  @Override
  protected LockStore store() {
    return store;
  }

}
