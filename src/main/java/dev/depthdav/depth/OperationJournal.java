package dev.depthdav.depth;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.OperationLog;
import dev.depthdav.store.OperationLog.Record;
import dev.depthdav.store.OperationLog.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the operations of this node's {@link WorkerPool} to the {@link OperationLog}, and reads
 * the log for the operations of every node. The pool stays the source of live progress on the
 * node that runs an operation; other nodes see what the log holds:
 *
 * <ul>
 *   <li>a {@code Prefer: respond-async} operation is written when submitted, before its 202
 *       goes out, so that its Location works on every node at once, and again when it starts;
 *   <li>running operations are written once a {@link #tick} (every second) finds them running
 *       for a second or more, with their progress and a heartbeat (the one-second rule keeps
 *       the short PROPFINDs of every folder view out of the database);
 *   <li>the final state, status and captured result are written in one {@link OperationLog#save}
 *       before the pool shows the operation finished, so a client that saw "done" finds the
 *       result on any node;
 *   <li>an operation whose heartbeat is older than the node timeout, unfinished, is reported as
 *       failed: the node running it stopped.
 * </ul>
 */
public final class OperationJournal {
  private static final Logger log = LoggerFactory.getLogger(OperationJournal.class);
  /** The outcome reported for an operation whose node stopped without finishing it. */
  public static final String NODE_STOPPED = "the node running it stopped";
  /** Running operations are written once they have run this long, then at every tick. */
  static final Duration RECORD_AFTER = Duration.ofSeconds(1);
  /** Ticks between two retention passes over the log (a minute at one tick a second). */
  private static final int RETAIN_EVERY = 60;
  /** The most records one retention pass removes. */
  private static final int RETAIN_MAX = 500;
  /** The most records of other nodes a list shows. */
  private static final int LISTED = 200;

  /** What the journal did with an operation: written while it runs, or written final. */
  private enum Written { RUNNING, FINAL }

  private final OperationLog ops;
  private final BlobStore blobs;
  private final WorkerPool pool;
  private final String node;
  private final Duration nodeTimeout;
  private final InstantSource clock;
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  private int ticks;

  /**
   * @param node this process's name in the log
   * @param nodeTimeout how long without a heartbeat before another node's unfinished operation
   *     is reported as failed
   */
  public OperationJournal(OperationLog ops, BlobStore blobs, WorkerPool pool, String node,
      Duration nodeTimeout, InstantSource clock) {
    this.ops = ops;
    this.blobs = blobs;
    this.pool = pool;
    this.node = node;
    this.nodeTimeout = nodeTimeout;
    this.clock = clock;
  }

  /** Records an operation that will run with {@code Prefer: respond-async}, before its 202. */
  public void submitted(Operation op) {
    synchronized (op) {
      ops.save(snapshot(op));
      written.put(op.id(), Written.RUNNING);
    }
  }

  /** Records that a submitted operation started running (its worker calls this first). */
  public void started(Operation op) {
    heartbeat(op, false);
  }

  /**
   * Writes the progress of this node's running operations (and so its heartbeat), and once a
   * minute removes records past their retention. Failures are logged: the next tick tries again.
   */
  public void tick() {
    Set<String> live = new HashSet<>();
    for (Operation op : pool.list()) {
      if (op.finished() == null) {
        live.add(op.id());
        try {
          heartbeat(op, true);
        } catch (RuntimeException e) {
          log.warn("recording operation {} failed: {}", op.id(), e.toString());
        }
      }
    }
    written.keySet().retainAll(live);
    if (++ticks % RETAIN_EVERY == 1) {
      retain();
    }
  }

  /** Removes finished records as the pool forgets its operations (age and count). */
  void retain() {
    try {
      ops.forget(clock.instant().minus(WorkerPool.KEEP), WorkerPool.RECENT, RETAIN_MAX);
    } catch (RuntimeException e) {
      log.warn("removing old operations failed: {}", e.toString());
    }
  }

  private void heartbeat(Operation op, boolean onlyIfLong) {
    synchronized (op) {
      Written w = written.get(op.id());
      if (w == Written.FINAL || w == null && onlyIfLong
          && op.elapsed(clock.instant()).compareTo(RECORD_AFTER) < 0) {
        return;
      }
      ops.save(snapshot(op));
      written.put(op.id(), Written.RUNNING);
    }
  }

  /**
   * Records how {@code op} ended, with the captured response of a {@code Prefer: respond-async}
   * operation (null otherwise), before {@link Operation#finish} shows it finished. The body's
   * blob is durable before the record naming it commits (BlobStore's ordering rule).
   */
  public void finished(Operation op, int status, String outcome, Instant at, Captured captured) {
    synchronized (op) {
      Written before = written.put(op.id(), Written.FINAL);
      if (before == null && captured == null) {
        return; // short and synchronous: only the pool ever knew of it
      }
      Record end = done(snapshot(op), status, outcome, at, null);
      if (captured == null) {
        ops.save(end);
        return;
      }
      BlobStore.Pending body;
      try {
        body = storeBody(captured.body());
      } catch (IOException e) {
        // The operation is over all the same; its result says why it is not there.
        log.warn("keeping the result of operation {} failed: {}", op.id(), e.toString());
        ops.save(done(end, status, outcome, at, new Result(507, Map.of(), null)));
        return;
      }
      try (body) {
        Blob blob = body == null ? null : body.blob();
        ops.save(done(end, status, outcome, at, new Result(captured.status(),
            captured.headers(), blob)));
        if (body != null) {
          body.stored();
        }
      }
    }
  }

  /** A finished operation's captured response: its status, headers and body file (or null). */
  public record Captured(int status, Map<String, String> headers, Path body) {}

  /** Writes a captured body to the blob store, pinned; null when there is none. */
  private BlobStore.Pending storeBody(Path file) throws IOException {
    if (file == null || !Files.exists(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return blobs.write(in, -1);
    }
  }

  /** The operation with this id: live from the pool when it runs here, else as recorded. */
  public Optional<Record> find(String id) {
    Operation local = pool.find(id);
    if (local != null && written.get(id) != Written.FINAL && local.finished() == null) {
      return Optional.of(snapshot(local));
    }
    Optional<Record> kept = ops.find(id);
    if (kept.isEmpty() && local != null) {
      return Optional.of(snapshot(local)); // finished here and never recorded: short, in-line
    }
    return kept.map(r -> seen(r, clock.instant()));
  }

  /**
   * This node's running and recent operations (live), then the recorded ones of every node it
   * does not run, newest first.
   */
  public List<Record> list() {
    List<Record> out = new ArrayList<>();
    Set<String> seenHere = new HashSet<>();
    for (Operation op : pool.list()) {
      out.add(snapshot(op));
      seenHere.add(op.id());
    }
    Instant now = clock.instant();
    for (Record r : ops.list(LISTED)) {
      if (!seenHere.contains(r.id())) {
        out.add(seen(r, now));
      }
    }
    return out;
  }

  /** The result body of a recorded operation, for reading (from wherever the blobs live). */
  public java.io.InputStream body(Blob blob) throws java.io.IOException {
    return blobs.open(blob.hash(), 0, blob.length());
  }

  /**
   * A record as other nodes should see it: unfinished with a heartbeat older than the node
   * timeout, its node stopped; it is reported failed, as of its last heartbeat.
   */
  Record seen(Record r, Instant now) {
    if (r.over() || !r.heartbeat().isBefore(now.minus(nodeTimeout))) {
      return r;
    }
    return new Record(r.id(), r.owner(), r.method(), r.path(), r.submitted(),
        Operation.State.FAILED.name(), r.phase(), r.done(), r.total(), r.bytes(),
        r.processingSent(), 500, NODE_STOPPED, r.heartbeat(), r.node(), r.heartbeat(), null);
  }

  /** What the pool knows of {@code op} now, as a record with this node's heartbeat. */
  public Record snapshot(Operation op) {
    Instant now = clock.instant();
    return new Record(op.id(), op.owner(), op.method(), op.path(), op.submitted(),
        op.state().name(), op.phase(), op.done(), op.total(), op.bytes(), op.interims(),
        op.status(), op.outcome(), op.finished(), node, now, null);
  }

  private static Record done(Record r, int status, String outcome, Instant at, Result result) {
    return new Record(r.id(), r.owner(), r.method(), r.path(), r.submitted(),
        Operation.stateFor(status).name(), "done", r.done(), r.total(), r.bytes(),
        r.processingSent(), status, outcome, at, r.node(), at, result);
  }
}
