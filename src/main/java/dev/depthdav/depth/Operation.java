package dev.depthdav.depth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One depth-aware operation and its live progress: what it is, its phase, how many resources
 * and bytes it has done, and, once finished, its outcome. Workers update it; monitors, the
 * progress header and the operations list read it.
 */
public final class Operation {
  /** Where an operation is in its life. */
  public enum State { QUEUED, RUNNING, DONE, FAILED }

  private final String id;
  /** The principal that started it (null: anonymous); only it and administrators see it. */
  private final String owner;
  private final String method;
  private final String path;
  private final Instant submitted;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger interims =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile long total = -1;
  private volatile String phase = "queued";
  private volatile State state = State.QUEUED;
  private volatile int status;
  private volatile String outcome = "";
  private volatile Instant finished;

  Operation(String id, String owner, String method, String path, Instant submitted) {
    this.id = id;
    this.owner = owner;
    this.method = method;
    this.path = path;
    this.submitted = submitted;
  }

  /** An unguessable name: knowing one operation's id tells nothing of another's. */
  public String id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public Instant submitted() {
    return submitted;
  }

  public State state() {
    return state;
  }

  public String phase() {
    return phase;
  }

  public long done() {
    return done.get();
  }

  /** The number of resources the operation will touch, or -1 while unknown. */
  public long total() {
    return total;
  }

  public long bytes() {
    return bytes.get();
  }

  /** The final HTTP status, once finished. */
  public int status() {
    return status;
  }

  public String outcome() {
    return outcome;
  }

  public Instant finished() {
    return finished;
  }

  /** Enters a named phase (e.g. "counting", "copying", "writing"). */
  public void phase(String name) {
    this.phase = name;
  }

  public void total(long n) {
    this.total = n;
  }

  /** Adds {@code n} resources done. */
  public void advance(long n) {
    done.addAndGet(n);
  }

  public void addBytes(long n) {
    bytes.addAndGet(n);
  }

  void running() {
    state = State.RUNNING;
    phase = "running";
  }

  /** Records how it ended: the final status and a one-line summary. */
  public void finish(int finalStatus, String summary, Instant at) {
    this.status = finalStatus;
    this.outcome = summary;
    this.finished = at;
    this.phase = "done";
    this.state = stateFor(finalStatus);
  }

  /** The state an operation ends in with this final status. */
  public static State stateFor(int finalStatus) {
    return finalStatus >= 500 ? State.FAILED : State.DONE;
  }

  /** How long it has run, or ran. */
  public Duration elapsed(Instant now) {
    return Duration.between(submitted, finished != null ? finished : now);
  }

  /** A one-line summary for logs and the HTTP/2 progress header. */
  /** Records one 102 Processing written to the client. */
  public void interimSent() {
    interims.incrementAndGet();
  }

  /** How many 102 Processing the client got. */
  public int interims() {
    return interims.get();
  }

  public String progress() {
    return "phase=" + phase + "; done=" + done.get() + (total >= 0 ? "; total=" + total : "")
        + "; bytes=" + bytes.get();
  }
}
