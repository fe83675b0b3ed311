package dev.depthdav.depth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, on the request's own thread, for an operation running on a worker, and meanwhile keeps
 * the client informed with 102 Processing as {@link Processing} says. It sends one 102 at a time
 * and waits for each to be written before it goes on, so when it returns no 102 is in flight.
 */
public final class ProgressMonitor {
  private static final Logger log = LoggerFactory.getLogger(ProgressMonitor.class);
  private static final long WRITE_TIMEOUT_MS = 10_000;

  /** Sends one interim response; the lead's servlet layer implements it over Jetty. */
  public interface Interim {
    /** Whether a 102 may go now (HTTP/1.1 or later, response not committed). */
    boolean allowed();

    CompletableFuture<Void> send(Operation op);
  }

  private ProgressMonitor() {}

  /**
   * Returns the operation's result once the worker is done, sending up to {@code budget} 102s
   * meanwhile.
   */
  public static <T> T await(Future<T> result, Operation op, Processing p, int budget,
      Interim interim, ResponseGate gate, InstantSource clock)
      throws ExecutionException, InterruptedException {
    Instant next = op.submitted().plus(p.after());
    int sent = 0;
    while (true) {
      long waitMs = budget > sent ? Math.max(0, Duration.between(clock.instant(), next).toMillis())
          : Long.MAX_VALUE;
      try {
        return waitMs == Long.MAX_VALUE ? result.get() : result.get(waitMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // due: send a 102 below
      }
      if (interim.allowed() && gate.beginInterim()) {
        try {
          interim.send(op).get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
          sent++;
          op.interimSent();
        } catch (ExecutionException | TimeoutException e) {
          log.info("102 to {} {} not sent ({}); no more for this request", op.method(), op.path(),
              e.toString());
          budget = sent;
        } finally {
          gate.endInterim();
        }
      } else {
        budget = sent; // the final response has started or 102s are not allowed: stop
      }
      next = next.plus(p.interval());
      Instant now = clock.instant();
      if (next.isBefore(now)) {
        next = now; // fell behind (slow writes): do not burst
      }
    }
  }
}
