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
    GroupSync sync = new GroupSync(flushing(() -> {
      if (flushes.incrementAndGet() == 1) {
        inFirstFlush.countDown();
        releaseFirst.await(10, TimeUnit.SECONDS);
      }
    }));
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
  void failedFlush_failsEveryCommitBeforeIt_laterCommitsFlushAgain() {
    // The flush is what writes H2's commits to the file: after a failed one, a flush that
    // succeeds (the database reopened from its file) says nothing about the commits before.
    AtomicInteger calls = new AtomicInteger();
    GroupSync sync = new GroupSync(flushing(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IOException("No space left on device");
      }
    }));
    long first = sync.committed();
    long second = sync.committed();
    assertThrows(GroupSync.FlushFailed.class, () -> sync.await(first));
    assertEquals(2, sync.pending(), "neither commit is counted durable");
    assertThrows(GroupSync.FlushFailed.class, () -> sync.await(second));
    assertThrows(GroupSync.FlushFailed.class, () -> sync.await(first));
    assertEquals(1, calls.get(), "no flush is tried again for commits it cannot vouch for");
    long later = sync.committed();
    sync.await(later); // the next flush succeeds
    assertEquals(0, sync.pending());
    assertEquals(2, calls.get());
  }

  @Test
  void commitDuringAFailingFlush_failsToo() throws Exception {
    CountDownLatch inFlush = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupSync sync = new GroupSync(flushing(() -> {
      inFlush.countDown();
      release.await(10, TimeUnit.SECONDS);
      throw new IOException("write failed");
    }));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      long first = sync.committed();
      Future<?> leader = pool.submit(() -> sync.await(first));
      assertTrue(inFlush.await(10, TimeUnit.SECONDS));
      long during = sync.committed(); // in memory only: the failing write may not hold it
      release.countDown();
      assertThrows(java.util.concurrent.ExecutionException.class,
          () -> leader.get(10, TimeUnit.SECONDS));
      assertThrows(GroupSync.FlushFailed.class, () -> sync.await(during));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void alreadyDurable_noFlushAtAll() {
    AtomicInteger calls = new AtomicInteger();
    GroupSync sync = new GroupSync(flushing(calls::incrementAndGet));
    long a = sync.committed();
    long b = sync.committed();
    sync.await(b); // covers a too
    sync.await(a);
    assertEquals(1, calls.get());
  }

  @Test
  void commitsMadeBeforeTheFlushTakesWhatItWrites_areCreditedToIt() throws Exception {
    // The leader begins with the newest ticket noted; the flush takes what it writes later
    // (H2: once it holds the writer lock, behind the writers queued for it). The commits made in
    // between are in what it wrote, and need no flush of their own.
    CountDownLatch inFlush = new CountDownLatch(1);
    CountDownLatch takeWhatItWrites = new CountDownLatch(1);
    AtomicInteger flushes = new AtomicInteger();
    GroupSync sync = new GroupSync(newest -> {
      flushes.incrementAndGet();
      inFlush.countDown();
      assertTrue(takeWhatItWrites.await(10, TimeUnit.SECONDS));
      return newest.getAsLong();
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      long first = sync.committed();
      Future<?> leader = pool.submit(() -> sync.await(first));
      assertTrue(inFlush.await(10, TimeUnit.SECONDS));
      long second = sync.committed(); // before the flush took what it writes
      takeWhatItWrites.countDown();
      leader.get(10, TimeUnit.SECONDS);
      assertEquals(0, sync.pending(), "the second commit is durable with the first");
      sync.await(second);
      assertEquals(1, flushes.get(), "one flush holds both commits");
    } finally {
      pool.shutdownNow();
    }
  }

  /** A flush that runs {@code flush} and tells no ticket of its own. */
  private static GroupSync.Flush flushing(Step flush) {
    return newest -> {
      flush.run();
      return 0;
    };
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }
}
