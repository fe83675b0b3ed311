package dev.depthdav.store;

/** Base of every storage failure; the dav layer maps each subclass to one HTTP status. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The named resource or its parent does not exist. */
  public static final class NotFound extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(message);
    }
  }

  /** A member with that name already exists in the parent. */
  public static final class AlreadyExists extends StoreException {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(String message) {
      super(message);
    }
  }

  /** The operation needs a collection and got a file, or the reverse. */
  public static final class NotACollection extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotACollection(String message) {
      super(message);
    }
  }

  /**
   * A change could not be stored: the disk is full, or the storage failed to make it durable.
   * Nothing the request asked for is acknowledged.
   */
  public static final class InsufficientStorage extends StoreException {
    private static final long serialVersionUID = 1L;

    public InsufficientStorage(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The database or the blob storage (an S3 service) cannot be reached now: it is down,
   * restarting, refusing connections, or answering 5xx. Nothing of the request was stored;
   * trying again later may work.
   */
  public static final class Unavailable extends StoreException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
