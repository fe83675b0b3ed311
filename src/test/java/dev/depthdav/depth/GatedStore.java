package dev.depthdav.depth;

import dev.depthdav.store.Store;
import dev.depthdav.testing.ForwardingStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store whose writes wait until the test opens the gate: an honest way to make an operation
 * last as long as a test needs, without sleeping.
 */
final class GatedStore extends ForwardingStore {
  private volatile CountDownLatch gate = new CountDownLatch(0);
  final CountDownLatch entered = new CountDownLatch(1);

  GatedStore(Store inner) {
    super(inner);
  }

  /** From now on, writes wait until {@link #open()}. */
  void close(boolean closed) {
    gate = new CountDownLatch(closed ? 1 : 0);
  }

  void open() {
    gate.countDown();
  }

  @Override
  public <T> T write(Work<T> work) {
    entered.countDown();
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return inner.write(work);
  }
}
