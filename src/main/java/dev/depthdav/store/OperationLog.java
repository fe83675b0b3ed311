package dev.depthdav.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where depth operations and their captured results are recorded, so that every process on the
 * same store can report them. The process running an operation writes its record; the others
 * only read. Each call is its own transaction, apart from the namespace's: recording progress
 * never waits for the writers of the tree.
 *
 * <p>Guarantees: {@link #save} replaces the whole record at once (a reader sees the old record
 * or the new one, never a mix), so a final state and its result appear together; a result's
 * blob is durable before the record naming it (the caller writes it first, {@link BlobStore}),
 * and counts as named ({@link #names}) until {@link #forget} removes the record.
 */
public interface OperationLog {

  /** Inserts or replaces the record with {@code record.id()}. */
  void save(Record record);

  /** The record with this id, if it is kept. */
  Optional<Record> find(String id);

  /** Kept records, newest submitted first, at most {@code max}. */
  List<Record> list(int max);

  /**
   * Removes records finished before {@code cutoff}, records whose node was last heard of before
   * {@code cutoff} (it stopped without finishing them), and finished records past the newest
   * {@code keep}; at most {@code max} in one call. Then frees the result blobs they named that
   * nothing else names (where the store frees blobs). Returns how many records went.
   */
  int forget(Instant cutoff, int keep, int max);

  /** Whether a kept record's result is the blob {@code hash}. */
  boolean names(String hash);

  /** The captured response of an operation: status, headers, and its body as a blob or null. */
  record Result(int status, Map<String, String> headers, Blob body) {}

  /**
   * One operation as recorded: what it is, where it is in its life, which node runs it and when
   * that node last wrote it ({@code heartbeat}), and, once finished, its status and outcome and
   * (for {@code Prefer: respond-async}) its result, else null.
   *
   * @param state QUEUED, RUNNING, DONE or FAILED
   * @param total the number of resources it will touch, or -1 while unknown
   * @param status the final HTTP status, 0 until finished
   * @param finished when it finished, or null
   */
  record Record(String id, String owner, String method, String path, Instant submitted,
      String state, String phase, long done, long total, long bytes, int processingSent,
      int status, String outcome, Instant finished, String node, Instant heartbeat,
      Result result) {

    /** Whether it has finished, well or not. */
    public boolean over() {
      return finished != null;
    }
  }
}
