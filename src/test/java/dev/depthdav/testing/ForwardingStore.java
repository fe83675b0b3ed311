package dev.depthdav.testing;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.OperationLog;
import dev.depthdav.store.Store;

/**
 * A store that hands every call to another: tests extend it to change one behaviour. {@link
 * #writeToFree} is left to its default, {@link #write}, so that a subclass changing writes
 * changes both.
 */
public abstract class ForwardingStore implements Store {
  protected final Store inner;

  protected ForwardingStore(Store inner) {
    this.inner = inner;
  }

  @Override
  public <T> T read(Work<T> work) {
    return inner.read(work);
  }

  @Override
  public <T> T write(Work<T> work) {
    return inner.write(work);
  }

  @Override
  public BlobStore blobs() {
    return inner.blobs();
  }

  @Override
  public OperationLog operations() {
    return inner.operations();
  }

  @Override
  public Space space() {
    return inner.space();
  }

  @Override
  public void close() {
    inner.close();
  }
}
