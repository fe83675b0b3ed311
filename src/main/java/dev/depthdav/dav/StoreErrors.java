package dev.depthdav.dav;

import dev.depthdav.store.StoreException;

/**
 * The one table from storage failures to HTTP statuses. Handlers check first and refuse with a
 * precise status; these cover what changed between a check and the write (a concurrent request)
 * and what the disk refused.
 */
final class StoreErrors {
  private StoreErrors() {}

  /** The answer to a storage failure; null for one no client could cause (a 500). */
  static DavError toDavError(StoreException e) {
    if (e instanceof StoreException.InsufficientStorage) {
      // RFC 4918 §11.5: the change could not be stored; nothing of it is acknowledged.
      return new DavError(507, "insufficient storage: " + e.getMessage());
    }
    if (e instanceof StoreException.Unavailable) {
      // RFC 9110 §15.6.4: a temporary condition; the client may try again after the delay.
      return new DavError(503, null, "", "the storage is unavailable: " + e.getMessage(), 5);
    }
    if (e instanceof StoreException.AlreadyExists || e instanceof StoreException.NotFound
        || e instanceof StoreException.NotACollection) {
      // RFC 9110 §15.5.10: the state changed under the request, by another request meanwhile.
      return new DavError(409, "conflict with a concurrent change: " + e.getMessage());
    }
    return null;
  }
}
