package dev.depthdav.store;

/**
 * The metadata store: the namespace (an adjacency list of {@link Node} rows) and dead properties,
 * accessed in transactions. Content bytes live in the {@link BlobStore}.
 *
 * <p>Every {@link #write} is atomic: when the work throws, nothing it did is visible, ever.
 * Writers are serialized; readers run concurrently with them and see committed state only.
 */
public interface Store extends AutoCloseable {

  /** Runs {@code work} in a read-only transaction. */
  <T> T read(Work<T> work);

  /**
   * Runs {@code work} in a read-write transaction, committed when it returns normally and
   * durable when this returns.
   *
   * @throws StoreException.InsufficientStorage when the disk is too full to take more, or the
   *     commit could not be made durable; nothing of the work is then acknowledged
   */
  <T> T write(Work<T> work);

  /**
   * As {@link #write}, for work that frees space (DELETE, UNLOCK, the purger): it may use the
   * reserve that {@link #write} keeps free, so that a full disk can always be emptied.
   */
  default <T> T writeToFree(Work<T> work) {
    return write(work);
  }

  /** The content store whose blobs the rows name. */
  BlobStore blobs();

  /**
   * The longest content this store keeps in its own rows instead of the blob store (0: none), so
   * that writing it costs one commit, made durable with the others of its group flush, instead of
   * a file forced to disk of its own (docs/ARCHITECTURE.md, "Storage model"). A writer passes the
   * bytes of content up to this long in {@link Blob#inline}.
   */
  default int inlineMax() {
    return 0;
  }

  /**
   * Where depth operations and their results are recorded: shared by every process on the
   * store where several may run on it, else kept in this process.
   */
  OperationLog operations();

  /**
   * Bytes that writes may still use and bytes the store occupies, for the quota properties of
   * RFC 4331; null where the store cannot tell.
   */
  default Space space() {
    return null;
  }

  /** What {@link #space} reports. */
  record Space(long availableBytes, long usedBytes) {}


  @Override
  void close();

  /** A unit of work inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Tx tx);
  }
}
