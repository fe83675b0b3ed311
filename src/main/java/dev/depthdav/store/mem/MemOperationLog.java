package dev.depthdav.store.mem;

import dev.depthdav.store.OperationLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The in-memory reference implementation of {@link OperationLog}, for a store that one process
 * owns (the memory store, H2): the records live as long as the process. One monitor serializes
 * everything, so a replaced record is seen whole.
 */
public final class MemOperationLog implements OperationLog {
  private final Map<String, Record> records = new LinkedHashMap<>();
  /** Frees a result blob no longer named here, if nothing else names it. */
  private final Consumer<String> free;

  /** A log that frees the result blobs of forgotten records through {@code free}. */
  public MemOperationLog(Consumer<String> free) {
    this.free = free;
  }

  @Override
  public synchronized void save(Record record) {
    records.put(record.id(), record);
  }

  @Override
  public synchronized Optional<Record> find(String id) {
    return Optional.ofNullable(records.get(id));
  }

  @Override
  public synchronized List<Record> list(int max) {
    return records.values().stream().sorted(NEWEST_FIRST).limit(max).toList();
  }

  @Override
  public int forget(Instant cutoff, int keep, int max) {
    List<String> blobs = remove(cutoff, keep, max);
    // Outside the monitor: freeing asks whether a record names the blob.
    blobs.stream().filter(java.util.Objects::nonNull).distinct().forEach(free);
    return blobs.size();
  }

  /** Removes what {@link #forget} removes; returns their result blobs (null for none). */
  private synchronized List<String> remove(Instant cutoff, int keep, int max) {
    List<Record> finished = records.values().stream().filter(Record::over)
        .sorted(Comparator.comparing(Record::finished).reversed()).toList();
    List<Record> gone = new ArrayList<>(finished.subList(Math.min(keep, finished.size()),
        finished.size()));
    for (Record r : records.values()) {
      Instant last = r.over() ? r.finished() : r.heartbeat();
      if (last.isBefore(cutoff) && !gone.contains(r)) {
        gone.add(r);
      }
    }
    List<String> blobs = new ArrayList<>();
    for (Record r : gone.subList(0, Math.min(max, gone.size()))) {
      records.remove(r.id());
      blobs.add(r.result() == null || r.result().body() == null ? null
          : r.result().body().hash());
    }
    return blobs;
  }

  @Override
  public synchronized boolean names(String hash) {
    return records.values().stream().anyMatch(r -> r.result() != null
        && r.result().body() != null && r.result().body().hash().equals(hash));
  }

  /** Newest submitted first; ties by id, so that the order is total. */
  static final Comparator<Record> NEWEST_FIRST =
      Comparator.comparing(Record::submitted).reversed().thenComparing(Record::id);
}
