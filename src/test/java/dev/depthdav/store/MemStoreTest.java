package dev.depthdav.store;

import dev.depthdav.store.blob.FileBlobStore;
import dev.depthdav.store.mem.MemStore;
import java.io.IOException;
import java.nio.file.Path;

class MemStoreTest extends StoreContract {
  @Override
  Store open(Path dir) throws IOException {
    return new MemStore(new FileBlobStore(dir.resolve("blobs")));
  }
}
