package dev.depthdav.depth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that runs depth-aware operations, apart from the HTTP threads. When its
 * threads and its queue are full it refuses new work at once ({@link Busy}) rather than queue
 * without bound. It remembers running operations and the most recent finished ones.
 */
public final class WorkerPool implements AutoCloseable {
  /** How many finished operations are kept. */
  static final int RECENT = 100;
  /** How long a finished operation and its captured result are kept. */
  static final Duration KEEP = Duration.ofHours(1);
  private final ThreadPoolExecutor executor;
  private final InstantSource clock;
  private final SecureRandom ids = new SecureRandom();
  private final Map<String, Operation> running = new LinkedHashMap<>();
  private final Deque<Operation> recent = new ArrayDeque<>();

  /** The pool is full; try again later. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super("all depth workers are busy and the queue is full");
    }
  }

  public WorkerPool(int threads, int queue, InstantSource clock) {
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(1, queue)), r -> {
          Thread t = new Thread(r, "depth-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    this.clock = clock;
  }

  /** A new operation of {@code owner} (null: anonymous), registered as queued. */
  public Operation create(String method, String path, String owner) {
    Operation op = new Operation(newId(), owner, method, path, clock.instant());
    synchronized (this) {
      running.put(op.id(), op);
    }
    return op;
  }

  /**
   * Runs {@code work} for {@code op} on a worker.
   *
   * @throws Busy when the pool and its queue are full
   */
  public <T> Future<T> submit(Operation op, Callable<T> work) {
    try {
      return executor.submit(() -> {
        op.running();
        return work.call();
      });
    } catch (RejectedExecutionException e) {
      forget(op);
      throw new Busy();
    }
  }

  /**
   * Moves a finished operation from the running set to the recent list, and forgets the recent
   * ones past the newest {@link #RECENT} or older than {@link #KEEP} (their records and results
   * in the store go the same way, {@link OperationJournal#retain}).
   */
  public synchronized void retire(Operation op) {
    running.remove(op.id());
    recent.addFirst(op);
    Instant cutoff = clock.instant().minus(KEEP);
    while (recent.size() > RECENT || !recent.isEmpty() && recent.peekLast().finished() != null
        && recent.peekLast().finished().isBefore(cutoff)) {
      recent.removeLast();
    }
  }

  private synchronized void forget(Operation op) {
    running.remove(op.id());
  }

  /** Forgets an operation that was created but will not be submitted. */
  public void cancel(Operation op) {
    forget(op);
  }

  /** Running operations, then recent ones, newest first. */
  public synchronized List<Operation> list() {
    List<Operation> out = new ArrayList<>(running.values());
    out.addAll(recent);
    return out;
  }

  /** 128 random bits, hex: operation ids are capabilities, never a sequence to walk. */
  private String newId() {
    byte[] b = new byte[16];
    ids.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  public synchronized Operation find(String id) {
    Operation op = running.get(id);
    if (op != null) {
      return op;
    }
    for (Operation r : recent) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }

  Instant now() {
    return clock.instant();
  }

  @Override
  public void close() {
    synchronized (this) {
      recent.clear();
    }
    executor.shutdown();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
