package dev.depthdav.store.blob;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Pin counts of blobs written but not yet committed (or rolled back) by their writers in this
 * process. Its monitor also guards deletion: a blob store deletes while holding it, so that no
 * writer pins a blob between the deleter's look at the pins and the deletion.
 */
public final class Pins {
  private final Map<String, Integer> counts = new HashMap<>();
  /** Pinned blobs a deleter found unnamed: the last pin's release looks at them again. */
  private final Set<String> deferred = new HashSet<>();
  /** Deletes a blob that no committed row names (the store's deleteIfUnreferenced). */
  private final Consumer<String> lookAgain;

  public Pins(Consumer<String> lookAgain) {
    this.lookAgain = lookAgain;
  }

  public synchronized void pin(String hash) {
    counts.merge(hash, 1, Integer::sum);
  }

  /** Whether a writer holds the blob; if so, its last release decides whether it goes. */
  public synchronized boolean deferIfPinned(String hash) {
    if (counts.containsKey(hash)) {
      deferred.add(hash);
      return true;
    }
    return false;
  }

  /**
   * Drops a writer's pin. With the last pin gone, a blob whose write was not stored (refused or
   * rolled back), or that a deleter found unnamed while it was pinned (a later write replaced it
   * first), is deleted if no committed row names it. A stored blob nobody tried to delete needs
   * no look at the rows.
   */
  public synchronized void release(String hash, boolean stored) {
    Integer left = counts.computeIfPresent(hash, (h, n) -> n == 1 ? null : n - 1);
    if (left != null || stored && !deferred.remove(hash)) {
      return;
    }
    deferred.remove(hash);
    lookAgain.accept(hash);
  }

  /** The handle of a pinned blob: closing it drops the pin, then runs {@code after}. */
  public BlobStore.Pending pending(Blob blob, After after) {
    return new BlobStore.Pending() {
      private boolean closed;
      private boolean stored;

      @Override
      public Blob blob() {
        return blob;
      }

      @Override
      public void stored() {
        stored = true;
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          try {
            after.closed(stored);
          } finally {
            release(blob.hash(), stored);
          }
        }
      }
    };
  }

  /** What a store does when a writer closes its handle, before the pin goes. */
  @FunctionalInterface
  public interface After {
    void closed(boolean stored);

    After NOTHING = stored -> { };
  }
}
