package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit: commits made while a flush runs share the next one; failures count nothing. */
class GroupSyncTest {

  @Test
  void commitsDuringAFlush_shareTheNextFlush() throws Exception {
    AtomicInteger flushes = new AtomicInteger();
    CountDownLatch inFirstFlush = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    GroupSync sync = new GroupSync(() -> {
      if (flushes.incrementAndGet() == 1) {
        inFirstFlush.countDown();
        releaseFirst.await(10, TimeUnit.SECONDS);
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      long first = sync.committed();
      Future<?> leader = pool.submit(() -> sync.await(first));
      assertTrue(inFirstFlush.await(10, TimeUnit.SECONDS));
      // Three more commits while the first flush runs: they must wait for a flush that begins
      // after them, and one flush serves all three.
      Future<?>[] later = new Future<?>[3];
      for (int i = 0; i < 3; i++) {
        long ticket = sync.committed();
        later[i] = pool.submit(() -> sync.await(ticket));
      }
      assertEquals(4, sync.pending());
      releaseFirst.countDown();
      leader.get(10, TimeUnit.SECONDS);
      for (Future<?> f : later) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertEquals(2, flushes.get(), "four commits, two flushes");
      assertEquals(0, sync.pending());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failedFlush_marksNothingDurable_theNextSuccessDoes() {
    AtomicInteger calls = new AtomicInteger();
    GroupSync sync = new GroupSync(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IOException("No space left on device");
      }
    });
    long ticket = sync.committed();
    assertThrows(GroupSync.FlushFailed.class, () -> sync.await(ticket));
    assertEquals(1, sync.pending(), "the commit is not counted durable");
    sync.await(ticket); // the next flush succeeds
    assertEquals(0, sync.pending());
    assertEquals(2, calls.get());
  }

  @Test
  void alreadyDurable_noFlushAtAll() {
    AtomicInteger calls = new AtomicInteger();
    GroupSync sync = new GroupSync(calls::incrementAndGet);
    long a = sync.committed();
    long b = sync.committed();
    sync.await(b); // covers a too
    sync.await(a);
    assertEquals(1, calls.get());
  }
}
