package dev.depthdav.store;

import dev.depthdav.store.blob.FileBlobStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract on a folder shared as several servers share it (grace period on). */
class FileBlobStoreContractTest extends BlobStoreContract {
  @TempDir Path dir;

  @Override
  protected BlobStore create(Predicate<String> referenced, InstantSource clock, long partSize)
      throws Exception {
    return new FileBlobStore(dir, false, referenced, 0, GRACE, clock);
  }
}
